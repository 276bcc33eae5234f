export interface WordCount {
  word: string;
  count: number;
}

/** A word → count multiset. */
export class WordCounts {
  private readonly counts = new Map<string, number>();
  private runningTotal = 0;

  /** Counts must be positive safe integers: a zero or fractional count is always a bug upstream. */
  add(word: string, count = 1): void {
    if (!Number.isSafeInteger(count) || count <= 0) {
      throw new RangeError(`count must be a positive integer, got ${count} for ${JSON.stringify(word)}`);
    }
    this.counts.set(word, (this.counts.get(word) ?? 0) + count);
    this.runningTotal += count;
  }

  /** 0 when the word is absent. */
  get(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  /** Number of distinct words. */
  get size(): number {
    return this.counts.size;
  }

  /** Sum of all counts. */
  get total(): number {
    return this.runningTotal;
  }

  /** In insertion order, which is not meaningful: sort before presenting. */
  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  mergeFrom(other: WordCounts): void {
    for (const [word, count] of other.counts) this.add(word, count);
  }
}
