import fc from 'fast-check';
import { compareKeys } from './key-order';

describe('compareKeys', () => {
  it('orders as the keys UTF-8 bytes do', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders as UTF-8 bytes do where UTF-16 order disagrees: surrogates against U+D7FF..U+FFFF', () => {
    // Uniform code points rarely put a surrogate pair and a unit near U+D800, U+E000 or U+FFFF at the same place.
    const edge = fc.constantFrom('\ud7ff', '\ue000', '\ue001', '\ufffd', '\uffff', '\u{10000}', '\u{10ffff}', '\u{1f600}', '\u{fffff}', '\u{ffc00}', 'a', '\u07ff');
    const key = fc.tuple(fc.constantFrom('', 'p/'), fc.string({ unit: edge, maxLength: 4 })).map(([prefix, rest]) => `${prefix}${rest}`);
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
      }),
      { numRuns: 2000 },
    );
  });

  it('puts a code point above U+FFFF after U+FFFD, where UTF-16 order would not', () => {
    expect(compareKeys('a\u{1F600}', 'a\uFFFD')).toBeGreaterThan(0);
    expect('a\u{1F600}' < 'a\uFFFD').toBe(true);
    expect(compareKeys('a/', 'a-b')).toBeGreaterThan(0);
    expect(compareKeys('a', 'a/')).toBeLessThan(0);
    expect(compareKeys('same', 'same')).toBe(0);
  });
});
