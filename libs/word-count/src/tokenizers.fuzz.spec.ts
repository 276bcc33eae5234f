import fc from 'fast-check';
import { referenceUnicodeWords, referenceWhitespaceWords, tally } from './reference-tokenizers.spec-helper';
import { asMap } from './test-inputs.spec-helper';
import { createWordCounter, type TokenizerName } from './tokenizer';

/**
 * What the reference tests beside each tokenizer leave out: uniformly random input over the
 * whole range (any code point, any byte), longer than any internal buffer's first size,
 * cut at arbitrary points rather than in a cycle of small sizes.
 */

const encoder = new TextEncoder();
const REFERENCES: Record<TokenizerName, (bytes: Uint8Array) => string[]> = {
  unicode: referenceUnicodeWords,
  whitespace: referenceWhitespaceWords,
};

/** Any code point, mostly, with runs of letters and spaces so that words get long. */
const anyText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.constantFrom('a', 'É', 'ß', '’', "'", '-', ' ', '\n') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 600,
});
const anyBytes = fc.uint8Array({ maxLength: 2048 });

/** Split points anywhere in the input (sorted, possibly repeated: empty chunks too). */
function cutAt(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const cuts = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  return chunks;
}

function expectAgreement(tokenizer: TokenizerName, bytes: Uint8Array, points: number[]): void {
  const counter = createWordCounter(tokenizer);
  for (const chunk of cutAt(bytes, points)) counter.write(chunk);
  counter.end();
  const expected = REFERENCES[tokenizer](bytes);
  expect(asMap(counter.counts)).toEqual(tally(expected));
  expect(counter.words).toBe(expected.length);
}

const cutPoints = fc.array(fc.nat(), { maxLength: 12 });

describe.each(['unicode', 'whitespace'] as const)('%s tokenizer against the reference, uniformly random input', (tokenizer) => {
  it('any Unicode text, cut anywhere', () => {
    fc.assert(
      fc.property(anyText, cutPoints, (text, points) => expectAgreement(tokenizer, encoder.encode(text), points)),
      { numRuns: 1000 },
    );
  });

  it('any bytes, cut anywhere', () => {
    fc.assert(
      fc.property(anyBytes, cutPoints, (bytes, points) => expectAgreement(tokenizer, bytes, points)),
      { numRuns: 1000 },
    );
  });
});
