import { CountTable, FNV_OFFSET, FNV_PRIME } from './count-table';
import { INCOMPLETE, decodeUtf8, plainBytes } from './utf8';
import { WordCounts, countTableOf } from './word-counts';

/** A shard-result body that does not follow the `word<TAB>count\n` format. */
export class CountFormatError extends Error {
  override readonly name = 'CountFormatError';
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;
/** More digits than this cannot be a safe integer. */
const MAX_COUNT_DIGITS = 16;
const INITIAL_CARRY_BYTES = 256;
/** Lines handed to the table at once: enough for the CPU to overlap their cache misses. */
const BATCH_LINES = 128;

/**
 * Streaming parser of the body written by serializeCountLines: feed chunks split anywhere
 * (even inside a UTF-8 character) and each `word\tcount` line is added to `into`.
 *
 * It works on bytes and adds each word's UTF-8 straight into the WordCounts' table, so a
 * line costs no string and no TextDecoder call; that is what lets the merge stage take
 * millions of lines per second.
 *
 * Strict on purpose, since a lenient reader would silently lose counts from a damaged
 * object: the word must be non-empty valid UTF-8, the count a positive integer without
 * leading zeros or trailing characters, and the body must end with a newline.
 */
export class CountLinesParser {
  private readonly table: CountTable;
  /** The start of a line that the previous chunks did not finish. */
  private carry = new Uint8Array(INITIAL_CARRY_BYTES);
  private carryLength = 0;
  private parsedLines = 0;
  private ended = false;
  private readonly batchStarts = new Int32Array(BATCH_LINES);
  private readonly batchLengths = new Int32Array(BATCH_LINES);
  private readonly batchHashes = new Int32Array(BATCH_LINES);
  private readonly batchCounts = new Float64Array(BATCH_LINES);
  private batchSize = 0;

  constructor(into: WordCounts) {
    this.table = countTableOf(into);
  }

  /** Number of lines parsed so far. */
  get lines(): number {
    return this.parsedLines;
  }

  write(buffer: Uint8Array): void {
    if (this.ended) throw new Error('CountLinesParser.write() after end()');
    const chunk = plainBytes(buffer);
    let resumeAt = 0;
    if (this.carryLength > 0) {
      // Finish the carried line alone, so lines are only ever parsed from one buffer.
      const newline = indexOfNewline(chunk);
      const lineEnd = newline < 0 ? chunk.length : newline + 1;
      this.appendToCarry(chunk, 0, lineEnd);
      if (newline < 0) return;
      this.parseLines(this.carry, 0, this.carryLength);
      this.carryLength = 0;
      resumeAt = lineEnd;
    }
    const unfinished = this.parseLines(chunk, resumeAt, chunk.length);
    this.appendToCarry(chunk, unfinished, chunk.length);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.carryLength > 0) {
      throw this.formatError('no final newline (is the body truncated?)');
    }
  }

  /**
   * Parses the complete lines of `bytes[start, end)` in one pass (no indexOf: on a Buffer
   * that is a native call per line) and returns where the unfinished last line begins.
   */
  private parseLines(bytes: Uint8Array, start: number, end: number): number {
    let lineStart = start;
    while (lineStart < end) {
      let hash = FNV_OFFSET;
      let nonAscii = 0;
      let tab = lineStart;
      for (; tab < end; tab++) {
        const byte = bytes[tab];
        if (byte === TAB || byte === NEWLINE) break;
        hash = Math.imul(hash ^ byte, FNV_PRIME);
        nonAscii |= byte;
      }
      if (tab === end) break;
      if (bytes[tab] === NEWLINE) throw this.lineError(bytes, 'no tab between word and count');
      let newline = tab + 1;
      while (newline < end && bytes[newline] !== NEWLINE) newline++;
      if (newline === end) break;
      if (tab === lineStart) throw this.lineError(bytes, 'empty word');
      if (nonAscii >= 0x80 && !isValidUtf8(bytes, lineStart, tab)) throw this.lineError(bytes, 'word is not valid UTF-8');
      const count = parseCount(bytes, tab + 1, newline);
      if (count === undefined) {
        const text = new TextDecoder().decode(bytes.subarray(tab + 1, newline));
        throw this.lineError(bytes, `count ${JSON.stringify(text)} is not a positive integer`);
      }
      const slot = this.batchSize++;
      this.batchStarts[slot] = lineStart;
      this.batchLengths[slot] = tab - lineStart;
      this.batchHashes[slot] = hash;
      this.batchCounts[slot] = count;
      if (slot === BATCH_LINES - 1) this.flushBatch(bytes);
      lineStart = newline + 1;
    }
    this.flushBatch(bytes);
    return lineStart;
  }

  /** Adds the parsed lines of `bytes` to the table; lines are counted only once added. */
  private flushBatch(bytes: Uint8Array): void {
    const size = this.batchSize;
    this.table.addBatch(bytes, this.batchStarts, this.batchLengths, this.batchHashes, this.batchCounts, size);
    this.parsedLines += size;
    this.batchSize = 0;
  }

  private appendToCarry(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.carryLength + end - start;
    if (needed > this.carry.length) {
      const bigger = new Uint8Array(Math.max(needed, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLength));
      this.carry = bigger;
    }
    this.carry.set(bytes.subarray(start, end), this.carryLength);
    this.carryLength = needed;
  }

  /** Keeps the lines before a bad one, as if they had been added one by one. */
  private lineError(bytes: Uint8Array, problem: string): CountFormatError {
    this.flushBatch(bytes);
    return this.formatError(problem);
  }

  /** Names the line being parsed: the one after the last line parsed. */
  private formatError(problem: string): CountFormatError {
    return new CountFormatError(`line ${this.parsedLines + 1}: ${problem}`);
  }
}

function indexOfNewline(bytes: Uint8Array): number {
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] === NEWLINE) return index;
  }
  return -1;
}

/** Digits only, no leading zero, at most a safe integer; undefined otherwise. */
export function parseCount(bytes: Uint8Array, start: number, end: number): number | undefined {
  const digits = end - start;
  if (digits === 0 || digits > MAX_COUNT_DIGITS || bytes[start] === DIGIT_ZERO) return undefined;
  let value = 0;
  for (let index = start; index < end; index++) {
    const byte = bytes[index];
    if (byte < DIGIT_ZERO || byte > DIGIT_NINE) return undefined;
    value = value * 10 + (byte - DIGIT_ZERO);
  }
  return Number.isSafeInteger(value) ? value : undefined;
}

export function isValidUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; ) {
    if (bytes[index] < 0x80) {
      index++;
      continue;
    }
    const decoded = decodeUtf8(bytes, index, end);
    // Only an invalid sequence decodes to one byte (U+FFFD itself takes three).
    if (decoded === INCOMPLETE || (decoded & 7) === 1) return false;
    index += decoded & 7;
  }
  return true;
}
