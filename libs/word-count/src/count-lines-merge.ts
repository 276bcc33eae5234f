import { CountFormatError, isValidUtf8, parseCount } from './count-lines-parser';
import { plainBytes } from './utf8';

/** A body written by serializeCountLines (`word<TAB>count` lines sorted by word), in chunks cut anywhere. */
export interface CountLinesSource {
  /** Names the source in error messages, e.g. `shard result s3://bucket/key`. */
  readonly name: string;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Takes each merged word: its UTF-8 is `word[0, length)`, valid only during the call. */
export type MergedWordSink = (word: Buffer, length: number, count: number) => void;

const TAB = 0x09;
const NEWLINE = 0x0a;
/** Leading bytes of a word packed into its key (see wordKey). */
const KEY_BYTES = 6;
const EMPTY = new Uint8Array(0);

/**
 * Merges sorted bodies into one sorted sequence of (word, total count), the word's counts
 * summed across the sources, and hands each word to `sink` in code-point order (the byte
 * order of UTF-8). Returns the number of distinct words.
 *
 * A k-way merge: it holds one line per source and the word being summed, not a table of
 * every word, and it reads each source front to back once. So memory follows the number
 * of sources, and a word costs a few byte comparisons instead of random lookups in a table
 * as large as the vocabulary.
 *
 * Each line is checked as strictly as CountLinesParser checks it, and words must come in
 * order: a source that is not sorted is rejected (CountFormatError naming it and the line),
 * since merging it would silently split a word's count. A word repeated on consecutive
 * lines is summed, as the parser does.
 */
export async function mergeCountLines(sources: readonly CountLinesSource[], sink: MergedWordSink): Promise<number> {
  const heap: SortedLines[] = [];
  for (const source of sources) {
    const lines = new SortedLines(source);
    if (await lines.fill()) heap.push(lines);
  }
  for (let index = (heap.length >> 1) - 1; index >= 0; index--) siftDown(heap, index);
  const merged = new MergedWord(sink);
  while (heap.length > 0) {
    const smallest = heap[0];
    merged.take(smallest);
    if (!smallest.advance() && !(await smallest.fill())) {
      const last = heap.pop() as SortedLines;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(heap, 0);
  }
  return merged.finish();
}

/** One source's current line: the word `bytes[wordStart, wordEnd)` and its count. */
class SortedLines {
  bytes: Uint8Array = EMPTY;
  wordStart = 0;
  wordEnd = 0;
  /** wordKey() of the word: most comparisons stop there. */
  key = 0;
  count = 0;
  /** Number of the current line, counted from 1. */
  lineNumber = 0;
  /** Where the line after the current one starts in `bytes`. */
  private nextLine = 0;
  /** The rest of a chunk whose first line was finished in a buffer of its own. */
  private following: Uint8Array = EMPTY;
  private readonly chunks: AsyncIterator<Uint8Array>;
  readonly name: string;

  constructor(source: CountLinesSource) {
    this.name = source.name;
    this.chunks = source.chunks[Symbol.asyncIterator]();
  }

  /** Moves to the next line held in `bytes`; false when `bytes` holds no complete line. */
  advance(): boolean {
    const bytes = this.bytes;
    const end = bytes.length;
    const start = this.nextLine;
    const keyEnd = Math.min(end, start + KEY_BYTES);
    let key = 0;
    let nonAscii = 0;
    let tab = start;
    for (; tab < end; tab++) {
      const byte = bytes[tab];
      if (byte === TAB || byte === NEWLINE) break;
      if (tab < keyEnd) key = key * 256 + byte;
      nonAscii |= byte;
    }
    if (tab === end) return false;
    if (bytes[tab] === NEWLINE) throw this.lineError('no tab between word and count', this.lineNumber + 1);
    let newline = tab + 1;
    while (newline < end && bytes[newline] !== NEWLINE) newline++;
    if (newline === end) return false;
    if (tab === start) throw this.lineError('empty word', this.lineNumber + 1);
    if (nonAscii >= 0x80 && !isValidUtf8(bytes, start, tab)) throw this.lineError('word is not valid UTF-8', this.lineNumber + 1);
    const count = parseCount(bytes, tab + 1, newline);
    if (count === undefined) {
      const text = new TextDecoder().decode(bytes.subarray(tab + 1, newline));
      throw this.lineError(`count ${JSON.stringify(text)} is not a positive integer`, this.lineNumber + 1);
    }
    this.wordStart = start;
    this.wordEnd = tab;
    this.key = wordKey(key, tab - start);
    this.count = count;
    this.lineNumber++;
    this.nextLine = newline + 1;
    return true;
  }

  /** Reads chunks until a line is complete, then moves to it; false at the end of the body. */
  async fill(): Promise<boolean> {
    for (;;) {
      let chunk = this.following;
      this.following = EMPTY;
      if (chunk.length === 0) {
        const { value, done } = await this.chunks.next();
        if (done) {
          if (this.nextLine < this.bytes.length) throw this.lineError('no final newline (is the body truncated?)', this.lineNumber + 1);
          return false;
        }
        chunk = plainBytes(value);
      }
      const unfinished = this.bytes.subarray(this.nextLine);
      this.nextLine = 0;
      if (unfinished.length === 0) {
        this.bytes = chunk;
      } else {
        // The line cut at the chunk's end is finished in a buffer of its own, so that only
        // its bytes are copied; the chunk's other lines follow it.
        const newline = chunk.indexOf(NEWLINE);
        const lineEnd = newline < 0 ? chunk.length : newline + 1;
        this.bytes = new Uint8Array(unfinished.length + lineEnd);
        this.bytes.set(unfinished);
        this.bytes.set(chunk.subarray(0, lineEnd), unfinished.length);
        this.following = chunk.subarray(lineEnd);
      }
      if (this.advance()) return true;
    }
  }

  lineError(problem: string, lineNumber: number): CountFormatError {
    return new CountFormatError(`${this.name}: line ${lineNumber}: ${problem}`);
  }
}

/** KEY_PADDING[n] shifts the leading bytes of an n-byte word into place, as if zeros followed. */
const KEY_PADDING = Array.from({ length: KEY_BYTES + 1 }, (_, length) => 256 ** (KEY_BYTES - length));

/**
 * A number that orders words as their bytes do: the first KEY_BYTES bytes, zero-padded, then
 * the length capped at KEY_BYTES + 1 (under 2^51, so exact). Two words of at most KEY_BYTES
 * bytes have equal keys only when they are equal, and a shorter word whose padded bytes
 * equal a longer one's is its prefix, so it sorts first as its smaller length says. Only
 * longer words with equal keys need their bytes compared, and those from KEY_BYTES on.
 */
function wordKey(leadingBytes: number, length: number): number {
  const padded = length < KEY_BYTES ? leadingBytes * KEY_PADDING[length] : leadingBytes;
  return padded * 8 + Math.min(length, KEY_BYTES + 1);
}

/**
 * Whether a's word sorts before b's in code-point order (the byte order of their UTF-8), for two
 * lines whose keys are equal: siftDown compares keys inline and calls this only on a tie.
 */
function precedes(a: SortedLines, b: SortedLines): boolean {
  return a.wordEnd - a.wordStart > KEY_BYTES && compareBytes(a.bytes, a.wordStart, a.wordEnd, b.bytes, b.wordStart, b.wordEnd) < 0;
}

/**
 * Negative, zero or positive as `a[aStart, aEnd)` sorts before, with or after `b[bStart, bEnd)`,
 * two words longer than KEY_BYTES with equal keys (so equal up to KEY_BYTES).
 */
function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const shared = Math.min(aEnd - aStart, bEnd - bStart);
  for (let offset = KEY_BYTES; offset < shared; offset++) {
    const difference = a[aStart + offset] - b[bStart + offset];
    if (difference !== 0) return difference;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/**
 * Restores the heap below `start`: the line whose word sorts first at the root. Keys are
 * compared inline, and bytes only when keys tie (see wordKey).
 */
function siftDown(heap: SortedLines[], start: number): void {
  const size = heap.length;
  const moving = heap[start];
  const movingKey = moving.key;
  let parent = start;
  for (;;) {
    let child = parent * 2 + 1;
    if (child >= size) break;
    let smaller = heap[child];
    if (child + 1 < size) {
      const right = heap[child + 1];
      if (right.key < smaller.key || (right.key === smaller.key && precedes(right, smaller))) {
        child++;
        smaller = right;
      }
    }
    if (smaller.key > movingKey || (smaller.key === movingKey && !precedes(smaller, moving))) break;
    heap[parent] = smaller;
    parent = child;
  }
  heap[parent] = moving;
}

/** The word being summed: lines arrive in order, so a word is complete when a greater one comes. */
class MergedWord {
  private word = new Uint8Array(256);
  /** A Buffer over `word`, for the sink; `word` stays a plain Uint8Array so comparisons see one type. */
  private wordView = Buffer.from(this.word.buffer);
  private length = -1;
  private key = 0;
  private count = 0;
  private distinct = 0;

  constructor(private readonly sink: MergedWordSink) {}

  take(lines: SortedLines): void {
    const order = this.length < 0 ? 1 : this.compareWith(lines);
    if (order === 0) {
      this.count += lines.count;
      return;
    }
    if (order < 0) throw lines.lineError('words out of order (a shard result is sorted by word)', lines.lineNumber);
    this.flush();
    const length = lines.wordEnd - lines.wordStart;
    if (length > this.word.length) {
      this.word = new Uint8Array(Math.max(length, this.word.length * 2));
      this.wordView = Buffer.from(this.word.buffer);
    }
    // A byte loop: words are short, and set(subarray()) would allocate per word.
    const word = this.word;
    const bytes = lines.bytes;
    for (let index = 0; index < length; index++) word[index] = bytes[lines.wordStart + index];
    this.length = length;
    this.key = lines.key;
    this.count = lines.count;
  }

  /** Hands the last word to the sink; called once, after the last take(). */
  finish(): number {
    this.flush();
    return this.distinct;
  }

  /** Negative, zero or positive as the line's word sorts before, with or after this word. */
  private compareWith(lines: SortedLines): number {
    if (lines.key !== this.key) return lines.key < this.key ? -1 : 1;
    if (this.length <= KEY_BYTES) return 0;
    return compareBytes(lines.bytes, lines.wordStart, lines.wordEnd, this.word, 0, this.length);
  }

  private flush(): void {
    if (this.length < 0) return;
    this.distinct++;
    this.sink(this.wordView, this.length, this.count);
  }
}

/**
 * A sink that writes the merged words back as a body (`word<TAB>count` lines, sorted), so
 * that the merge of some sources can be merged again with others.
 */
export class CountLinesCollector {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  readonly add: MergedWordSink = (word, wordLength, count) => {
    const digits = String(count);
    const needed = this.length + wordLength + digits.length + 2;
    if (needed > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += word.copy(this.buffer, this.length, 0, wordLength);
    this.buffer[this.length++] = TAB;
    this.length += this.buffer.write(digits, this.length, 'latin1');
    this.buffer[this.length++] = NEWLINE;
  };

  /** The body collected so far. */
  get body(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
