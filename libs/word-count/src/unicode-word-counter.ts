import {
  JOINER_BYTE,
  MULTI_BYTE,
  TYPOGRAPHIC_APOSTROPHE,
  WORD_KEY_BYTE,
  bmpWordBitmap,
  isWordCodePoint,
} from './character-classes';
import { ByteWordCounter } from './byte-word-counter';
import { INCOMPLETE, decodeUtf8 } from './utf8';
import { FNV_PRIME } from './count-table';

const APOSTROPHE = 0x27;
const MAX_SEQUENCE_BYTES = 4;
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: false });

/**
 * The `unicode` rule: maximal runs of L/M/N characters, where a single `'`, `’` or `-`
 * between two of them joins; lowercased with `toLowerCase`, `’` stored as `'`.
 *
 * ASCII bytes are lowercased as they are copied into the key. Non-ASCII characters are
 * copied raw and the whole word is lowercased once per distinct key when the counts are
 * read, because `toLowerCase` is not a per-character byte mapping (`İ` grows, final `Σ`
 * depends on what follows); keys such as `ÉCOLE` and `école` then merge as strings.
 */
export class UnicodeWordCounter extends ByteWordCounter {
  /** A `'`/`-` (stored as its key byte) seen right after a word character; 0 when none. */
  private pendingJoiner = 0;
  /** The start of a multi-byte character cut by a chunk boundary. */
  private readonly partial = new Uint8Array(MAX_SEQUENCE_BYTES);
  private partialLength = 0;
  private readonly bmpBits = bmpWordBitmap();

  protected scanChunk(chunk: Uint8Array): void {
    const resumeAt = this.partialLength > 0 ? this.finishPartialCharacter(chunk) : 0;
    const stoppedAt = this.scan(chunk, resumeAt, chunk.length);
    for (let index = stoppedAt; index < chunk.length; index++) {
      this.partial[this.partialLength++] = chunk[index];
    }
  }

  protected flushAtEnd(): void {
    // A character cut off by the end of input is invalid, and invalid bytes separate.
    this.partialLength = 0;
    this.pendingJoiner = 0;
  }

  protected keyToWord(keyBytes: Uint8Array, start: number, end: number): string {
    return UTF8_DECODER.decode(keyBytes.subarray(start, end)).toLowerCase();
  }

  /**
   * Completes the character begun at the end of the previous chunk. Returns where scanning
   * of `chunk` resumes, or `chunk.length` when even this chunk did not complete it.
   */
  private finishPartialCharacter(chunk: Uint8Array): number {
    let taken = 0;
    let decoded = INCOMPLETE;
    while (decoded === INCOMPLETE && taken < chunk.length) {
      this.partial[this.partialLength++] = chunk[taken++];
      decoded = decodeUtf8(this.partial, 0, this.partialLength);
    }
    if (decoded === INCOMPLETE) {
      // The bytes stay in `partial`; resuming at the end keeps scanChunk from adding them twice.
      return chunk.length;
    }
    const sequenceLength = decoded & 7;
    if (sequenceLength === this.partialLength) {
      this.scan(this.partial, 0, sequenceLength);
      this.partialLength = 0;
      return taken;
    }
    // Invalid: the lead and the carried continuation bytes are all separators; the byte
    // that broke the sequence came from this chunk and is scanned again as a fresh start.
    this.partialLength = 0;
    this.pendingJoiner = 0;
    this.finishWord();
    return taken - 1;
  }

  /**
   * Scans `bytes[start, end)`, returning `end`, or the index of a multi-byte character cut
   * by `end`. State lives in locals during the loop, written back on every exit. Runs of
   * ASCII word bytes, nearly all of the work on typical text, take a tight inner loop.
   */
  private scan(bytes: Uint8Array, start: number, end: number): number {
    // Imports compile to property loads on a module object; locals keep them out of the loop.
    const keyBytes = WORD_KEY_BYTE;
    const prime = FNV_PRIME;
    const bmpBits = this.bmpBits;
    let wordBytes = this.wordBytes;
    let length = this.wordLength;
    let hash = this.wordHash;
    let joiner = this.pendingJoiner;
    let index = start;
    while (index < end) {
      const byte = bytes[index];
      const keyByte = keyBytes[byte];
      if (keyByte >= 0 && joiner === 0) {
        // The bound on the copy loop spares it a capacity check per byte.
        const stop = Math.min(end, index + wordBytes.length - length);
        for (; index < stop; index++) {
          const key = keyBytes[bytes[index]];
          if (key < 0) break;
          wordBytes[length++] = key;
          hash = Math.imul(hash ^ key, prime);
        }
        if (length === wordBytes.length) wordBytes = this.growWordBytes();
        continue;
      }
      let size = 1;
      let isWord = keyByte >= 0;
      let isJoiner = keyByte === JOINER_BYTE;
      if (keyByte === MULTI_BYTE) {
        const decoded = decodeUtf8(bytes, index, end);
        if (decoded === INCOMPLETE) break;
        const codePoint = decoded >>> 3;
        size = decoded & 7;
        isWord =
          codePoint < 0x10000 ? ((bmpBits[codePoint >>> 3] >>> (codePoint & 7)) & 1) === 1 : isWordCodePoint(codePoint);
        isJoiner = codePoint === TYPOGRAPHIC_APOSTROPHE;
      }
      if (isWord) {
        if (joiner !== 0) {
          if (length === wordBytes.length) wordBytes = this.growWordBytes();
          wordBytes[length++] = joiner;
          hash = Math.imul(hash ^ joiner, prime);
          joiner = 0;
        }
        // Non-ASCII characters are keyed by their raw bytes; see the class comment.
        for (let offset = 0; offset < size; offset++) {
          const key = size === 1 ? keyByte : bytes[index + offset];
          if (length === wordBytes.length) wordBytes = this.growWordBytes();
          wordBytes[length++] = key;
          hash = Math.imul(hash ^ key, prime);
        }
      } else if (isJoiner && length > 0 && joiner === 0) {
        joiner = size === 1 ? byte : APOSTROPHE;
      } else {
        joiner = 0;
        if (length > 0) {
          this.wordLength = length;
          this.wordHash = hash;
          this.finishWord();
          length = 0;
          hash = this.wordHash;
        }
      }
      index += size;
    }
    this.wordLength = length;
    this.wordHash = hash;
    this.pendingJoiner = joiner;
    return index;
  }
}
