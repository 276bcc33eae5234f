import { createWordCounter, formatFileCounts, WordCounts, type TokenizerName, type WordCounter } from '@wordbatch/word-count';
import type { FileCount, FileCounter, PieceGroup, ShardCounter } from './counter';

/**
 * Objects planned below this size are small: counted in the calling thread (carrying one
 * to a worker would cost about as much as counting it) and, unless the plan asks for
 * per-file counts, gathered whole and counted together (see GatheredFile).
 */
export const SMALL_OBJECT_BYTES = 64 * 1024;

const NEWLINE = new Uint8Array([0x0a]);

/** Counting in the calling thread, between reads. */
export class InThreadCounter implements ShardCounter {
  readonly threads = 0;
  readonly failed = new AbortController().signal;
  readonly failure = undefined;
  private readonly counts = new WordCounts();
  /** Every gathered small object so far, back to back. */
  private readonly together: WordCounter;

  constructor(
    private readonly tokenizer: TokenizerName,
    private readonly perFile: boolean,
  ) {
    this.together = createWordCounter(tokenizer);
  }

  openFile(plannedBytes: number): FileCounter {
    if (!this.perFile && plannedBytes < SMALL_OBJECT_BYTES) return new GatheredFile(this.together, plannedBytes);
    return this.ownCounter();
  }

  openGroup(): PieceGroup {
    // Every piece in one counter, held until the object settles (see PieceGroup).
    const counter = createWordCounter(this.tokenizer);
    return {
      openPiece: () => {
        const wordsBefore = counter.words;
        return {
          write: (utf8) => counter.write(utf8),
          end: async () => {
            // Ends what the end of an object would, so the next piece starts clean.
            counter.write(NEWLINE);
            return { words: counter.words - wordsBefore };
          },
          discard: () => undefined,
        };
      },
      settle: async (keep) => {
        if (!keep) return [];
        counter.end();
        this.counts.mergeFrom(counter.counts);
        return this.perFile ? [formatFileCounts(counter.counts)] : [];
      },
    };
  }

  /** A counter of the object's own, whose counts join the shard's when it ends. */
  private ownCounter(): FileCounter {
    const counter = createWordCounter(this.tokenizer);
    return {
      write: (utf8) => counter.write(utf8),
      end: async () => {
        counter.end();
        this.counts.mergeFrom(counter.counts);
        return { words: counter.words, fileCounts: this.perFile ? formatFileCounts(counter.counts) : undefined };
      },
      discard: () => undefined,
    };
  }

  async finish(): Promise<WordCounts> {
    this.together.end();
    this.counts.mergeFrom(this.together.counts);
    return this.counts;
  }

  async close(): Promise<void> {
    // Nothing to stop: no thread was started.
  }
}

/**
 * A small object, held until it ends and then counted in one counter shared by all small
 * objects, followed by a newline. A fresh counter per object costs more than counting a few
 * kilobytes (its tables, then merging them into the shard's): this way there is one table.
 *
 * It counts the same as a counter of its own would: a newline separates words under both
 * tokenizers, and ends whatever the object's end would have ended (a last word, a trailing
 * `'` or `-`, an incomplete UTF-8 sequence). Holding the object whole is what lets one that
 * turns out binary, or has to be read again, be dropped without a trace; its size is bounded
 * by the plan, since migrate reads exactly the planned version (If-Match on the ETag).
 */
class GatheredFile implements FileCounter {
  private bytes: Uint8Array;
  private length = 0;

  constructor(
    private readonly together: WordCounter,
    plannedBytes: number,
  ) {
    this.bytes = new Uint8Array(Math.max(plannedBytes, 16));
  }

  write(utf8: Uint8Array): void {
    if (this.length + utf8.length > this.bytes.length) {
      // UTF-16 grows as UTF-8; a byte order mark may be held back and come in later.
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + utf8.length));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
    this.bytes.set(utf8, this.length);
    this.length += utf8.length;
  }

  async end(): Promise<FileCount> {
    const before = this.together.words;
    this.together.write(this.bytes.subarray(0, this.length));
    this.together.write(NEWLINE);
    return { words: this.together.words - before };
  }

  discard(): void {
    // Nothing of it was counted.
  }
}
