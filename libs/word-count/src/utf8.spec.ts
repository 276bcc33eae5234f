import { INCOMPLETE, decodeUtf8 } from './utf8';

const decoder = new TextDecoder();

/** TextDecoder's verdict on a whole sequence: its code point, or undefined when invalid. */
function referenceCodePoint(bytes: number[]): number | undefined {
  const text = decoder.decode(Uint8Array.from(bytes));
  const points = Array.from(text, (character) => character.codePointAt(0));
  return points.length === 1 && points[0] !== 0xfffd ? points[0] : undefined;
}

describe('decodeUtf8', () => {
  it('accepts and rejects exactly what TextDecoder does, for every lead and second byte', () => {
    // Third and fourth bytes are fixed to a valid continuation: only the lead and the
    // second byte carry the range rules (overlongs, surrogates, > U+10FFFF).
    for (let lead = 0x80; lead <= 0xff; lead++) {
      for (let second = 0; second <= 0xff; second++) {
        const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        const bytes = [lead, second, 0x80, 0x80].slice(0, length);
        const decoded = decodeUtf8(Uint8Array.from(bytes), 0, bytes.length);
        const expected = referenceCodePoint(bytes);
        if (expected === undefined) {
          expect([lead, second, decoded & 7]).toEqual([lead, second, 1]);
        } else {
          expect([lead, second, decoded >>> 3, decoded & 7]).toEqual([lead, second, expected, length]);
        }
      }
    }
  });

  it('reports a valid prefix cut by the end as incomplete, and an invalid one as invalid', () => {
    const euro = [0xe2, 0x82, 0xac];
    expect(decodeUtf8(Uint8Array.from(euro), 0, 1)).toBe(INCOMPLETE);
    expect(decodeUtf8(Uint8Array.from(euro), 0, 2)).toBe(INCOMPLETE);
    expect(decodeUtf8(Uint8Array.from(euro), 0, 3)).toBe((0x20ac << 3) | 3);
    expect(decodeUtf8(Uint8Array.from([0xe0, 0x80]), 0, 2) & 7).toBe(1);
  });
});
