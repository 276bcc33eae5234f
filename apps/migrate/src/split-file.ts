import { CountLinesParser, formatFileCounts, WordCounts } from '@wordbatch/word-count';
import type { FileCount, FileCounter, PieceGroup } from './counter';

const NEWLINE = 0x0a;

/**
 * One large object's text, cut into pieces that count side by side on every counting thread.
 *
 * A piece ends at the first newline at or past `pieceBytes` into it, and the next piece starts
 * right after that newline. That is safe under both tokenizers: a newline ends a word, a
 * pending `'` or `-`, and any unfinished UTF-8 sequence, exactly as the end of an object does,
 * and 0x0A never occurs inside a UTF-8 sequence. So counting the pieces apart and adding their
 * counts gives the counts of the whole, and a line longer than `pieceBytes` (or no newline at
 * all) simply makes a longer piece, which streams to its thread like any object. For the same
 * reason a thread counts every piece of the object it gets in one counter (PieceGroup): one
 * table and one merge per thread and object, not per piece.
 *
 * The cut is made in the text the tokenizers read (after the encoding was decided on the
 * object's first bytes, source-text's SourceText), so the whole object's BOM and UTF-16 handling and its
 * NUL check hold as they do for an object counted whole. The pieces' counts are held apart
 * (PieceGroup) until the object settles: an object found binary at its last byte, or one whose
 * read failed, leaves nothing in the shard.
 */
export class SplitFile implements FileCounter {
  private piece: FileCounter;
  /** Bytes written to the current piece so far. */
  private pieceLength = 0;
  /** Planned bytes not yet given to a piece, so the pool can weigh each piece. */
  private unplanned: number;
  private readonly ended: Array<Promise<FileCount>> = [];
  private opened = 0;
  private settled = false;

  constructor(
    private readonly group: PieceGroup,
    plannedBytes: number,
    private readonly pieceBytes: number,
    private readonly perFile: boolean,
  ) {
    this.unplanned = plannedBytes;
    this.piece = this.nextPiece();
  }

  /** Pieces opened so far. */
  get pieces(): number {
    return this.opened;
  }

  async write(utf8: Uint8Array): Promise<void> {
    const bytes = Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength);
    let start = 0;
    while (start < bytes.length) {
      const searchFrom = start + Math.max(0, this.pieceBytes - this.pieceLength);
      const newline = searchFrom < bytes.length ? bytes.indexOf(NEWLINE, searchFrom) : -1;
      const end = newline === -1 ? bytes.length : newline + 1;
      const wait = this.piece.write(bytes.subarray(start, end));
      if (wait) await wait;
      this.pieceLength += end - start;
      start = end;
      if (newline !== -1) this.cut();
    }
  }

  async end(): Promise<FileCount> {
    this.ended.push(this.piece.end());
    const counts = await Promise.all(this.ended);
    const words = counts.reduce((sum, count) => sum + count.words, 0);
    this.settled = true;
    const fileCounts = await this.group.settle(true);
    return { words, fileCounts: this.perFile ? mergeFileCounts(fileCounts) : undefined };
  }

  discard(): void {
    if (this.settled) return;
    this.settled = true;
    this.piece.discard();
    // Nothing to wait for: the held counts are simply dropped (a failed pool has dropped them already).
    this.group.settle(false).catch(() => undefined);
  }

  /** Ends the current piece (it ends with a newline) and opens the next. */
  private cut(): void {
    const ending = this.piece.end();
    // Awaited in end(); until then a failure must not go unhandled (the pool reports it too).
    ending.catch(() => undefined);
    this.ended.push(ending);
    this.piece = this.nextPiece();
    this.pieceLength = 0;
  }

  private nextPiece(): FileCounter {
    const planned = Math.min(this.pieceBytes, this.unplanned);
    this.unplanned -= planned;
    this.opened++;
    return this.group.openPiece(planned);
  }
}

/** The per-file counts of the whole object, from those of each counter that held pieces of it. */
function mergeFileCounts(texts: readonly string[]): string {
  // One counter held them all (one thread, or the calling thread): already the object's own.
  if (texts.length === 1) return texts[0];
  const whole = new WordCounts();
  const parser = new CountLinesParser(whole);
  for (const text of texts) parser.write(Buffer.from(text, 'utf8'));
  parser.end();
  return formatFileCounts(whole);
}
