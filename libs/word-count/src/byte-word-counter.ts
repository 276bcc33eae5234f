import { WordCounts } from './word-counts';
import { FNV_OFFSET, WordTable } from './word-table';

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
  protected readonly table = new WordTable();
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
    this.scanChunk(chunk);
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

  /** Turns a key into the word it stands for; distinct keys may yield the same word. */
  protected abstract keyToWord(arena: Uint8Array, start: number, end: number): string;

  protected finishWord(): void {
    if (this.wordLength > 0) {
      this.table.add(this.wordBytes, this.wordLength, this.wordHash);
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
    this.table.forEachKey((arena, start, end, count) => counts.add(this.keyToWord(arena, start, end), count));
    return counts;
  }
}

/** True when every byte in the range is ASCII, so a key can skip UTF-8 decoding. */
export function isAsciiRange(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    if (bytes[index] >= 0x80) return false;
  }
  return true;
}

/** Decodes ASCII-only bytes; much cheaper than TextDecoder for the short keys that dominate. */
export function decodeAscii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
