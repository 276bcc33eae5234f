/**
 * Decoding of one UTF-8 sequence, with exactly the acceptance rules of the WHATWG decoder
 * (`TextDecoder`): no overlongs, no surrogates, nothing above U+10FFFF.
 *
 * On an invalid sequence only the lead byte is consumed. WHATWG consumes the lead plus the
 * continuation bytes that were still plausible, but those bytes (0x80-0xBF) can never start
 * a character, so rejecting them one by one yields the same characters at the same places.
 */

/** Returned when the bytes end inside a sequence that is valid so far. */
export const INCOMPLETE = -1;

const REPLACEMENT = 0xfffd;
const INVALID = (REPLACEMENT << 3) | 1;

/**
 * Decodes the sequence whose lead byte (>= 0x80) is `bytes[start]`, reading no further
 * than `end`. Returns `codePoint << 3 | byteLength`, U+FFFD with length 1 when invalid,
 * or INCOMPLETE. Packing into one number keeps the scanner's hot loop allocation-free.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): number {
  const lead = bytes[start];
  if (lead < 0xc2 || lead > 0xf4) return INVALID;
  if (start + 1 >= end) return INCOMPLETE;
  const second = bytes[start + 1];
  if (lead < 0xe0) {
    if ((second & 0xc0) !== 0x80) return INVALID;
    return ((((lead & 0x1f) << 6) | (second & 0x3f)) << 3) | 2;
  }
  if (second < secondByteMin(lead) || second > secondByteMax(lead)) return INVALID;
  if (start + 2 >= end) return INCOMPLETE;
  const third = bytes[start + 2];
  if ((third & 0xc0) !== 0x80) return INVALID;
  if (lead < 0xf0) {
    return ((((lead & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f)) << 3) | 3;
  }
  if (start + 3 >= end) return INCOMPLETE;
  const fourth = bytes[start + 3];
  if ((fourth & 0xc0) !== 0x80) return INVALID;
  const codePoint = ((lead & 0x07) << 18) | ((second & 0x3f) << 12) | ((third & 0x3f) << 6) | (fourth & 0x3f);
  return (codePoint << 3) | 4;
}

/** The narrowed second-byte ranges are what exclude overlongs, surrogates and > U+10FFFF. */
function secondByteMin(lead: number): number {
  if (lead === 0xe0) return 0xa0;
  if (lead === 0xf0) return 0x90;
  return 0x80;
}

function secondByteMax(lead: number): number {
  if (lead === 0xed) return 0x9f;
  if (lead === 0xf4) return 0x8f;
  return 0xbf;
}

/**
 * A plain Uint8Array over the same memory. Node hands out Buffers, a subclass; letting both
 * reach a hot loop makes its element loads polymorphic and measurably slower.
 */
export function plainBytes(chunk: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(chunk) === Uint8Array.prototype
    ? chunk
    : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
