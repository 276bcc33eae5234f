import fc from 'fast-check';
import { codePointLength, compareCodePoints } from './code-points';

/** Plainly: compare the arrays of code points. */
function referenceCompare(a: string, b: string): number {
  const pointsA = Array.from(a, (character) => character.codePointAt(0) ?? 0);
  const pointsB = Array.from(b, (character) => character.codePointAt(0) ?? 0);
  for (let index = 0; index < Math.min(pointsA.length, pointsB.length); index++) {
    if (pointsA[index] !== pointsB[index]) return pointsA[index] - pointsB[index];
  }
  return pointsA.length - pointsB.length;
}

const awkwardText = fc.string({
  unit: fc.constantFrom('a', 'b', 'é', '\ud7ff', '\ue000', '\uffff', '𝐀', '😀', '\u{10ffff}'),
  maxLength: 6,
});

describe('compareCodePoints', () => {
  it('orders astral characters after the whole BMP, unlike UTF-16 order', () => {
    expect('😀' < '\uffff').toBe(true);
    expect(compareCodePoints('😀', '\uffff')).toBeGreaterThan(0);
    expect(compareCodePoints('\ue000', '𝐀')).toBeLessThan(0);
  });

  it('puts a prefix first and treats equal strings as equal', () => {
    expect(compareCodePoints('the', 'then')).toBeLessThan(0);
    expect(compareCodePoints('then', 'the')).toBeGreaterThan(0);
    expect(compareCodePoints('𝐀b', '𝐀b')).toBe(0);
  });

  it('agrees in sign with comparing code point arrays', () => {
    fc.assert(
      fc.property(awkwardText, awkwardText, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(referenceCompare(a, b)));
      }),
    );
  });

  it('orders strings exactly as their UTF-8 bytes order', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(awkwardText, awkwardText, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(encoder.encode(a), encoder.encode(b))));
      }),
    );
  });
});

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['𝐀𝐁', 2],
    ['e\u0301', 2],
    ['\ud800x', 2],
  ])('%p has %p code points', (text, length) => expect(codePointLength(text)).toBe(length));

  it('agrees with Array.from on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => expect(codePointLength(text)).toBe(Array.from(text).length)));
  });
});
