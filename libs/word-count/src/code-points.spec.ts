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

/** Well-formed, with the units either side of every edge of the surrogate ranges. */
const awkwardText = fc.string({
  unit: fc.constantFrom('a', 'b', 'é', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '𝐀', '😀', '\u{10ffff}'),
  maxLength: 6,
});

/**
 * Any string, weighted toward lone surrogate halves at their range edges and next to each
 * other and to pairs: the states where counting units and counting code points differ.
 */
const surrogateHeavyText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\u{10000}', '\u{10ffff}', 'a') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 8,
});

describe('compareCodePoints', () => {
  it('orders astral characters after the whole BMP, unlike UTF-16 order', () => {
    expect('😀' < '\uffff').toBe(true);
    expect(compareCodePoints('😀', '\uffff')).toBeGreaterThan(0);
    expect(compareCodePoints('\ue000', '𝐀')).toBeLessThan(0);
    // U+10000's high surrogate is the first one (D800), U+FFFF the last BMP unit.
    expect(compareCodePoints('\u{10000}', '\uffff')).toBeGreaterThan(0);
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
    ['\u{10000}', 1],
    ['\udc00', 1],
    ['a\udc00', 2],
    ['\udc00\udc00', 2],
    ['\ud800\ue000', 2],
  ])('%p has %p code points', (text, length) => expect(codePointLength(text)).toBe(length));

  it('agrees with Array.from on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => expect(codePointLength(text)).toBe(Array.from(text).length)));
  });

  it('agrees with Array.from on strings full of lone and paired surrogates', () => {
    fc.assert(fc.property(surrogateHeavyText, (text) => expect(codePointLength(text)).toBe(Array.from(text).length)));
  });
});
