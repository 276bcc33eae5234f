import fc from 'fast-check';
import { InvalidUtf8Counter } from './invalid-utf8';

/** What TextDecoder replaced: U+FFFD it made, less the ones the bytes spelled out. */
function referenceCount(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const made = [...text].filter((char) => char === '\ufffd').length;
  const genuine = Buffer.from(bytes).toString('latin1').split('\u00ef\u00bf\u00bd').length - 1;
  return made - genuine;
}

/**
 * Writes each piece from one scratch Buffer that is overwritten once written, as a caller that
 * reuses its buffers does (migrate's ranged reads): the counter must keep copies, not views.
 */
function countInPieces(bytes: Uint8Array, sizes: number[]): number {
  const counter = new InvalidUtf8Counter();
  const scratch = Buffer.alloc(Math.max(...sizes));
  for (let start = 0, turn = 0; start < bytes.length; turn++) {
    const piece = bytes.subarray(start, start + sizes[turn % sizes.length]);
    scratch.set(piece);
    counter.write(scratch.subarray(0, piece.length));
    // A continuation byte where the held-back bytes were: a view of them would now read invalid.
    scratch.fill(0x80);
    start += piece.length;
  }
  return counter.end();
}

describe('InvalidUtf8Counter', () => {
  it.each([
    ['valid text', Buffer.from('héllo wörld 𝐀 €'), 0],
    ['a lone continuation byte', Buffer.from([0x61, 0x80, 0x62]), 1],
    ['Latin-1 café', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 1],
    ['a sequence cut at the end', Buffer.from([0x61, 0xe2, 0x82]), 1],
    ['an overlong', Buffer.from([0xc0, 0xaf]), 2],
    ['a surrogate', Buffer.from([0xed, 0xa0, 0x80]), 3],
    ['a genuine U+FFFD is not invalid', Buffer.from('a\ufffdb'), 0],
    ['genuine U+FFFD beside an invalid byte', Buffer.from([0x80, 0xef, 0xbf, 0xbd, 0x61, 0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]), 1],
    ['C0 and C1, which start no character', Buffer.from([0x61, 0xc0, 0x80, 0xc1]), 3],
  ])('%s', (_, bytes, expected) => {
    expect(countInPieces(bytes, [bytes.length || 1])).toBe(expected);
    expect(referenceCount(bytes)).toBe(expected);
  });

  it('counts a character cut by a chunk boundary once, not as two errors', () => {
    expect(countInPieces(Buffer.from('€€€€'), [1, 2])).toBe(0);
    expect(countInPieces(Buffer.from('€€€€'), [2, 1])).toBe(0);
    expect(countInPieces(Buffer.from('°°°'), [1])).toBe(0);
    expect(countInPieces(Buffer.from('𝐀𝐀𝐀'), [3, 1, 2])).toBe(0);
    expect(countInPieces(Buffer.from('𝐀𝐀𝐀'), [2, 2])).toBe(0);
    // Cut after a continuation byte 80, and after the lowest lead byte of three bytes, E0.
    expect(countInPieces(Buffer.from('\u2000\u2000'), [2, 1])).toBe(0);
    expect(countInPieces(Buffer.from('\u{10000}\u{10000}'), [3, 1])).toBe(0);
    expect(countInPieces(Buffer.from('\u0800\u0800'), [2, 1])).toBe(0);
  });

  it('counts nothing for empty chunks, wherever they come', () => {
    const counter = new InvalidUtf8Counter();
    for (const piece of [[], [0xe2], [], [0x82], [], [0xac], []]) counter.write(Uint8Array.from(piece));
    expect(counter.end()).toBe(0);
    expect(new InvalidUtf8Counter().end()).toBe(0);
  });

  it('agrees with TextDecoder on any bytes, cut anywhere', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xbd));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 64 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }), (values, sizes) => {
        const bytes = Uint8Array.from(values);
        expect(countInPieces(bytes, sizes)).toBe(referenceCount(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  /**
   * Random bytes seldom spell a valid character of three or four bytes, so the chunk boundary
   * rarely falls inside one: this draws text from whole characters of each length (where a
   * miscounted cut shows), among them the edges of the lead and continuation ranges (E0 A0 80,
   * E2 80 80, F0 90 80 80), characters cut short, genuine U+FFFD, and stray bytes.
   */
  it('agrees with TextDecoder on text of characters of every length, cut anywhere', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', ' ', '°', 'é', '€', '語', '\u0800', '\u2000', '𝐀', '😀', '\u{10000}', '\ufffd').map((text) => [...Buffer.from(text)]),
      fc.constantFrom('°', '€', '語', '\u0800', '\u2000', '𝐀', '\u{10000}').chain((text) => fc.integer({ min: 1, max: Buffer.from(text).length - 1 }).map((kept) => [...Buffer.from(text).subarray(0, kept)])),
      fc.constantFrom([0x80], [0xbf], [0xc0], [0xc1], [0xf5], [0xff], [0xed, 0xa0, 0x80], [0xe0, 0x80]),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }), (pieces, sizes) => {
        const bytes = Uint8Array.from(pieces.flat());
        expect(countInPieces(bytes, sizes)).toBe(referenceCount(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
