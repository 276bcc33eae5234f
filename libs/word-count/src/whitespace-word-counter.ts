import { ASCII_LOWER } from './character-classes';
import { ByteWordCounter } from './byte-word-counter';
import { FNV_PRIME } from './count-table';

/** Per byte: -1 for ASCII whitespace (the C-locale `isspace` set), else its key byte. */
const WHITESPACE = -1;
const KEY_BYTE: Int16Array = (() => {
  const table = new Int16Array(256);
  for (let byte = 0; byte < 256; byte++) table[byte] = ASCII_LOWER[byte];
  for (const byte of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) table[byte] = WHITESPACE;
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
    // Module-level constants compile to property loads on a module object; locals keep
    // them out of the loop.
    const keyBytes = KEY_BYTE;
    const prime = FNV_PRIME;
    const end = chunk.length;
    let index = 0;
    while (index < end) {
      // The bound on the copy loop spares it a capacity check per byte.
      const stop = Math.min(end, index + wordBytes.length - length);
      for (; index < stop; index++) {
        const key = keyBytes[chunk[index]];
        if (key === WHITESPACE) break;
        wordBytes[length++] = key;
        hash = Math.imul(hash ^ key, prime);
      }
      if (index === end) break;
      if (index === stop) {
        wordBytes = this.growWordBytes();
        continue;
      }
      // chunk[index] is whitespace.
      if (length > 0) {
        this.wordLength = length;
        this.wordHash = hash;
        this.finishWord();
        length = 0;
        hash = this.wordHash;
      }
      index++;
    }
    this.wordLength = length;
    this.wordHash = hash;
  }

  protected flushAtEnd(): void {
    // Nothing but the current word is ever held back.
  }

  protected keyToWord(keyBytes: Uint8Array, start: number, end: number): string {
    return LOSSY_DECODER.decode(keyBytes.subarray(start, end));
  }
}
