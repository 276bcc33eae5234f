import { WordCounts } from './word-counts';

/** A shard-result body that does not follow the `word<TAB>count\n` format. */
export class CountFormatError extends Error {
  override readonly name = 'CountFormatError';
}

const TAB = '\t';
const NEWLINE = '\n';
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;
/** More digits than this cannot be a safe integer. */
const MAX_COUNT_DIGITS = 16;

/**
 * Streaming parser of the body written by serializeCountLines: feed chunks split anywhere
 * (even inside a UTF-8 character) and each `word\tcount` line is added to `into`.
 *
 * Strict on purpose, since a lenient reader would silently lose counts from a damaged
 * object: the word must be non-empty, the count a positive integer without leading zeros
 * or trailing characters, the bytes valid UTF-8, and the body must end with a newline.
 */
export class CountLinesParser {
  /** ignoreBOM keeps a leading U+FEFF: under the whitespace rule it can begin a word. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** The text of the line not yet ended by a newline. */
  private carry = '';
  private parsedLines = 0;
  private ended = false;

  constructor(private readonly into: WordCounts) {}

  /** Number of lines parsed so far. */
  get lines(): number {
    return this.parsedLines;
  }

  write(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CountLinesParser.write() after end()');
    this.parseText(this.decode(chunk, true));
  }

  end(): void {
    if (this.ended) return;
    this.parseText(this.decode(new Uint8Array(0), false));
    this.ended = true;
    if (this.carry.length > 0) {
      throw this.formatError(this.parsedLines + 1, 'no final newline (is the body truncated?)');
    }
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      // A chunk is decoded before its lines are parsed, so the bad byte is somewhere after
      // the last line parsed; pinning it down further is not worth it for a corrupt object.
      throw new CountFormatError(`invalid UTF-8 after line ${this.parsedLines}`);
    }
  }

  private parseText(decoded: string): void {
    const text = this.carry + decoded;
    let lineStart = 0;
    for (;;) {
      const lineEnd = text.indexOf(NEWLINE, lineStart);
      if (lineEnd < 0) break;
      this.parseLine(text, lineStart, lineEnd);
      lineStart = lineEnd + 1;
    }
    this.carry = lineStart === 0 ? text : text.slice(lineStart);
  }

  private parseLine(text: string, start: number, end: number): void {
    const lineNumber = this.parsedLines + 1;
    const tab = text.indexOf(TAB, start);
    if (tab < 0 || tab >= end) throw this.formatError(lineNumber, 'no tab between word and count');
    if (tab === start) throw this.formatError(lineNumber, 'empty word');
    const count = parseCount(text, tab + 1, end);
    if (count === undefined) {
      throw this.formatError(lineNumber, `count ${JSON.stringify(text.slice(tab + 1, end))} is not a positive integer`);
    }
    this.into.add(text.slice(start, tab), count);
    this.parsedLines = lineNumber;
  }

  private formatError(lineNumber: number, problem: string): CountFormatError {
    return new CountFormatError(`line ${lineNumber}: ${problem}`);
  }
}

/** Digits only, no leading zero, at most a safe integer; undefined otherwise. */
function parseCount(text: string, start: number, end: number): number | undefined {
  const digits = end - start;
  if (digits === 0 || digits > MAX_COUNT_DIGITS || text.charCodeAt(start) === DIGIT_ZERO) return undefined;
  let value = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_ZERO || code > DIGIT_NINE) return undefined;
    value = value * 10 + (code - DIGIT_ZERO);
  }
  return Number.isSafeInteger(value) ? value : undefined;
}
