import { codePointLength, compareCodePoints } from './code-points';
import { WordCount, WordCounts, countTableOf } from './word-counts';

export interface RankOptions {
  /** How many words to keep; `Infinity` keeps them all. */
  top: number;
  /** Minimum length in Unicode code points. */
  minLength: number;
  minCount: number;
  stopwords: ReadonlySet<string>;
}

/** Count descending, then word ascending by code point: a total order, so output is stable. */
export function compareRank(a: WordCount, b: WordCount): number {
  return b.count - a.count || compareCodePoints(a.word, b.word);
}

/** Count descending, then word ascending by code point. */
export function sortByCountThenWord(entries: Iterable<[string, number]>): WordCount[] {
  const ranked: WordCount[] = [];
  for (const [word, count] of entries) ranked.push({ word, count });
  return ranked.sort(compareRank);
}

/**
 * Filters (length in code points >= minLength, count >= minCount, not a stopword), then
 * keeps the `top` best. A vocabulary can hold millions of words while `top` is usually
 * tens, so a bounded heap selects them in O(n log top) instead of sorting everything, and
 * a word is only turned into a string once its count could still earn it a place.
 */
export function rankWords(counts: WordCounts, options: RankOptions): WordCount[] {
  const kept = new TopWords(options);
  const table = countTableOf(counts);
  for (let entry = 0; entry < table.size; entry++) {
    const count = table.countAt(entry);
    if (kept.wants(count)) kept.offer(table.keyAsString(entry), count);
  }
  return kept.ranked();
}

/** rankWords() one word at a time, for words that arrive as a stream (the merge stage's). */
export class TopWords {
  private readonly minLength: number;
  private readonly minCount: number;
  private readonly stopwords: ReadonlySet<string>;
  private readonly kept: WorstFirstHeap | undefined;

  constructor(options: RankOptions) {
    const { top } = options;
    if (!(top >= 0) || (!Number.isInteger(top) && top !== Infinity)) {
      throw new RangeError(`top must be a non-negative integer or Infinity, got ${top}`);
    }
    this.minLength = options.minLength;
    this.minCount = options.minCount;
    this.stopwords = options.stopwords;
    this.kept = top === 0 ? undefined : new WorstFirstHeap(top);
  }

  /** False when a word with this count cannot be kept, whatever it is: ask before making its string. */
  wants(count: number): boolean {
    return this.kept !== undefined && count >= this.minCount && count >= this.kept.minimumCount();
  }

  /** Offers a word that wants() accepted; the word's own filters are applied here. */
  offer(word: string, count: number): void {
    if (this.kept === undefined || this.stopwords.has(word)) return;
    const { minLength } = this;
    // A word never has more code points than UTF-16 units, so most words skip the count.
    if (word.length < minLength || (minLength > 1 && codePointLength(word) < minLength)) return;
    this.kept.offer({ word, count });
  }

  /** The kept words, best first: count descending, then word ascending by code point. */
  ranked(): WordCount[] {
    return this.kept === undefined ? [] : [...this.kept.drain()].sort(compareRank);
  }
}

/**
 * A binary heap holding at most `capacity` entries with the worst-ranked one at the root,
 * so deciding whether a candidate gets in is one comparison with the root.
 */
class WorstFirstHeap {
  private readonly items: WordCount[] = [];

  constructor(private readonly capacity: number) {}

  offer(candidate: WordCount): void {
    const items = this.items;
    if (items.length < this.capacity) {
      items.push(candidate);
      this.siftUp(items.length - 1);
    } else if (compareRank(candidate, items[0]) < 0) {
      items[0] = candidate;
      this.siftDown(0);
    }
  }

  /** Below this count a candidate cannot get in, whatever its word. */
  minimumCount(): number {
    return this.items.length < this.capacity ? 0 : this.items[0].count;
  }

  drain(): WordCount[] {
    return this.items;
  }

  /** True when `a` ranks after `b`, i.e. `a` belongs nearer the root. */
  private isWorse(a: WordCount, b: WordCount): boolean {
    return compareRank(a, b) > 0;
  }

  private siftUp(start: number): void {
    const items = this.items;
    let child = start;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.isWorse(items[child], items[parent])) return;
      [items[child], items[parent]] = [items[parent], items[child]];
      child = parent;
    }
  }

  private siftDown(start: number): void {
    const items = this.items;
    let parent = start;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let worst = parent;
      if (left < items.length && this.isWorse(items[left], items[worst])) worst = left;
      if (right < items.length && this.isWorse(items[right], items[worst])) worst = right;
      if (worst === parent) return;
      [items[parent], items[worst]] = [items[worst], items[parent]];
      parent = worst;
    }
  }
}
