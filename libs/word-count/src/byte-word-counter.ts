import { CountTable, FNV_OFFSET } from './count-table';
import { plainBytes } from './utf8';
import { WordCounts, countTableOf } from './word-counts';

/** Streaming tokenizer+counter. write() any chunking; end() flushes the last word. */
export interface WordCounter {
  write(chunk: Uint8Array): void;
  end(): void;
  /** Valid after end(): the counts (materialized as strings). */
  readonly counts: WordCounts;
  /** Number of words (tokens) seen so far. */
  readonly words: number;
}

const INITIAL_WORD_BYTES = 256;

/**
 * What both byte scanners share: the word being built, the counting table and the
 * write/end life cycle. Subclasses own the scanning rule and how a key becomes a string.
 */
export abstract class ByteWordCounter implements WordCounter {
  /** Keyed by the scanner's key bytes, which are not always the final word's UTF-8. */
  protected readonly table = new CountTable();
  /**
   * The key of the word being scanned. Copying each byte here (rather than pointing into
   * the chunk) is what lets a word span chunk boundaries with no special case.
   */
  protected wordBytes: Uint8Array = new Uint8Array(INITIAL_WORD_BYTES);
  protected wordLength = 0;
  protected wordHash = FNV_OFFSET;
  private ended = false;
  private materialized: WordCounts | undefined;

  get words(): number {
    return this.table.total;
  }

  get counts(): WordCounts {
    if (!this.ended) throw new Error('WordCounter.counts read before end()');
    this.materialized ??= this.materialize();
    return this.materialized;
  }

  write(chunk: Uint8Array): void {
    if (this.ended) throw new Error('WordCounter.write() after end()');
    this.scanChunk(plainBytes(chunk));
  }

  end(): void {
    if (this.ended) return;
    this.flushAtEnd();
    this.finishWord();
    this.ended = true;
  }

  protected abstract scanChunk(chunk: Uint8Array): void;

  /** Settles whatever the scanner still holds besides the current word. */
  protected abstract flushAtEnd(): void;

  /**
   * Turns a non-ASCII key into the word it stands for; distinct keys may yield the same
   * word. (An ASCII key is its own word under both rules.)
   */
  protected abstract keyToWord(keyBytes: Uint8Array, start: number, end: number): string;

  protected finishWord(): void {
    if (this.wordLength > 0) {
      this.table.add(this.wordBytes, 0, this.wordLength, this.wordHash, 1);
      this.wordLength = 0;
      this.wordHash = FNV_OFFSET;
    }
  }

  /** Doubles the word buffer; scanners call it when it is full and reload their local copy. */
  protected growWordBytes(): Uint8Array {
    const bigger = new Uint8Array(this.wordBytes.length * 2);
    bigger.set(this.wordBytes);
    this.wordBytes = bigger;
    return bigger;
  }

  private materialize(): WordCounts {
    const counts = new WordCounts();
    const into = countTableOf(counts);
    const table = this.table;
    for (let entry = 0; entry < table.size; entry++) {
      const start = table.keyStart(entry);
      const end = table.keyEnd(entry);
      if (table.isAsciiKey(entry)) {
        // The common case skips making a string: same bytes, so the same hash.
        into.add(table.keyBytes, start, end - start, table.hashAt(entry), table.countAt(entry));
      } else {
        counts.add(this.keyToWord(table.keyBytes, start, end), table.countAt(entry));
      }
    }
    return counts;
  }
}
