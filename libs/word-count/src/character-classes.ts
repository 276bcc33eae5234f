/**
 * Character classes of the `unicode` tokenizer, precomputed so the scanner never runs a
 * regex per character: a 128-entry table for ASCII and a bitmap for the rest of the BMP.
 * Both are derived from the same regex as the rule itself, so they cannot drift from it.
 */
const WORD_CHARACTER = /^[\p{L}\p{M}\p{N}]$/u;

/** ASCII `A`-`Z` mapped to `a`-`z`, every other byte to itself. */
export const ASCII_LOWER: Uint8Array = buildAsciiLower();

export const SEPARATOR_BYTE = -1;
/** `'` and `-`: part of a word only between two word characters. */
export const JOINER_BYTE = -2;
/** The lead or continuation byte of a multi-byte character, which needs decoding. */
export const MULTI_BYTE = -3;

/**
 * Per byte, one lookup answers both questions the scanner asks of an ASCII byte: for a
 * word character its key byte (lowercased), otherwise one of the negative classes above.
 */
export const WORD_KEY_BYTE: Int16Array = buildWordKeyBytes();

/** The U+2019 RIGHT SINGLE QUOTATION MARK, a joiner stored as `'`. */
export const TYPOGRAPHIC_APOSTROPHE = 0x2019;

/** True when the code point is in Unicode category L, M or N. */
export function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 0x10000) {
    const bitmap = bmpWordBitmap();
    return ((bitmap[codePoint >>> 3] >>> (codePoint & 7)) & 1) === 1;
  }
  return WORD_CHARACTER.test(String.fromCodePoint(codePoint));
}

let bmpBitmap: Uint8Array | undefined;

/**
 * One bit per BMP code point, set for L/M/N. Built on first use (about 65k regex tests,
 * a few milliseconds) so that importing the lib for the whitespace rule costs nothing.
 */
export function bmpWordBitmap(): Uint8Array {
  if (bmpBitmap === undefined) {
    const bitmap = new Uint8Array(0x10000 >>> 3);
    for (let codePoint = 0; codePoint < 0x10000; codePoint++) {
      if (WORD_CHARACTER.test(String.fromCharCode(codePoint))) {
        bitmap[codePoint >>> 3] |= 1 << (codePoint & 7);
      }
    }
    bmpBitmap = bitmap;
  }
  return bmpBitmap;
}

function buildWordKeyBytes(): Int16Array {
  const table = new Int16Array(256).fill(MULTI_BYTE);
  for (let byte = 0; byte < 0x80; byte++) {
    const character = String.fromCharCode(byte);
    if (WORD_CHARACTER.test(character)) table[byte] = ASCII_LOWER[byte];
    else if (character === "'" || character === '-') table[byte] = JOINER_BYTE;
    else table[byte] = SEPARATOR_BYTE;
  }
  return table;
}

function buildAsciiLower(): Uint8Array {
  const lower = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    lower[byte] = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
  }
  return lower;
}
