import { CountTable, hashBytes } from './count-table';

export interface WordCount {
  word: string;
  count: number;
}

const encoder = new TextEncoder();
/** Where add() and get() encode their word; shared because calls never interleave. */
let encodedWord = new Uint8Array(256);

/** UTF-8 of `word` in encodedWord[0, length); returns the length. */
function encodeWord(word: string): number {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so this size never truncates.
  if (word.length * 3 > encodedWord.length) encodedWord = new Uint8Array(word.length * 3);
  return encoder.encodeInto(word, encodedWord).written;
}

let tableOf: (counts: WordCounts) => CountTable;

/**
 * A word → count multiset.
 *
 * Words are stored as UTF-8 bytes in a CountTable rather than as Map keys: the merge stage
 * parses shard results straight from bytes into it, at several times the speed of making
 * and hashing a string per line. Consequently a word is any well-formed string; a lone
 * surrogate is stored, like TextEncoder does it, as U+FFFD.
 */
export class WordCounts {
  #table = new CountTable();

  static {
    tableOf = (counts) => counts.#table;
  }

  /** Counts must be positive safe integers: a zero or fractional count is always a bug upstream. */
  add(word: string, count = 1): void {
    if (!Number.isSafeInteger(count) || count <= 0) {
      throw new RangeError(`count must be a positive integer, got ${count} for ${JSON.stringify(word)}`);
    }
    const length = encodeWord(word);
    this.#table.add(encodedWord, 0, length, hashBytes(encodedWord, 0, length), count);
  }

  /** 0 when the word is absent. */
  get(word: string): number {
    const length = encodeWord(word);
    const entry = this.#table.find(encodedWord, 0, length, hashBytes(encodedWord, 0, length));
    return entry < 0 ? 0 : this.#table.countAt(entry);
  }

  /** Number of distinct words. */
  get size(): number {
    return this.#table.size;
  }

  /** Sum of all counts. */
  get total(): number {
    return this.#table.total;
  }

  /** In insertion order, which is not meaningful: sort before presenting. */
  *entries(): IterableIterator<[string, number]> {
    const table = this.#table;
    for (let entry = 0; entry < table.size; entry++) yield [table.keyAsString(entry), table.countAt(entry)];
  }

  [Symbol.iterator](): IterableIterator<[string, number]> {
    return this.entries();
  }

  mergeFrom(other: WordCounts): void {
    const from = other.#table;
    const size = from.size;
    for (let entry = 0; entry < size; entry++) {
      const start = from.keyStart(entry);
      this.#table.add(from.keyBytes, start, from.keyEnd(entry) - start, from.hashAt(entry), from.countAt(entry));
    }
  }
}

/**
 * The table inside a WordCounts, for this lib's parsers and counters only (the barrel
 * does not export it). Every key added through it must be valid UTF-8.
 */
export function countTableOf(counts: WordCounts): CountTable {
  return tableOf(counts);
}
