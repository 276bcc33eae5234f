import { ASCII_LOWER } from './character-classes';
import { ByteWordCounter, decodeAscii, isAsciiRange } from './byte-word-counter';
import { FNV_PRIME } from './word-table';

/** Space, tab, LF, VT, FF, CR: the classic Unix `isspace` set in the C locale. */
const IS_ASCII_WHITESPACE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const byte of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) table[byte] = 1;
  return table;
})();

/**
 * Replacement semantics (invalid bytes become U+FFFD), and a BOM is kept as U+FEFF: under
 * this rule bytes are bytes, so a leading BOM is part of the first word.
 */
const LOSSY_DECODER = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The `whitespace` rule: words are the runs between ASCII whitespace bytes, with `A`-`Z`
 * lowercased and every other byte kept. Counting is on bytes, so two words whose bytes
 * differ only in invalid UTF-8 are distinct keys that become one string when read.
 */
export class WhitespaceWordCounter extends ByteWordCounter {
  protected scanChunk(chunk: Uint8Array): void {
    let wordBytes = this.wordBytes;
    let length = this.wordLength;
    let hash = this.wordHash;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (IS_ASCII_WHITESPACE[byte] === 0) {
        const lowered = ASCII_LOWER[byte];
        if (length === wordBytes.length) wordBytes = this.growWordBytes();
        wordBytes[length++] = lowered;
        hash = Math.imul(hash ^ lowered, FNV_PRIME);
      } else if (length > 0) {
        this.wordLength = length;
        this.wordHash = hash;
        this.finishWord();
        length = 0;
        hash = this.wordHash;
      }
    }
    this.wordLength = length;
    this.wordHash = hash;
  }

  protected flushAtEnd(): void {
    // Nothing but the current word is ever held back.
  }

  protected keyToWord(arena: Uint8Array, start: number, end: number): string {
    if (isAsciiRange(arena, start, end)) return decodeAscii(arena, start, end);
    return LOSSY_DECODER.decode(arena.subarray(start, end));
  }
}
