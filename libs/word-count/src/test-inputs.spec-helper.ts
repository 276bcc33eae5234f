/** Generators and drivers shared by the tokenizer tests. */
import fc from 'fast-check';
import { TokenizerName, createWordCounter } from './tokenizer';
import { WordCounter } from './byte-word-counter';
import { WordCounts } from './word-counts';

/**
 * Characters chosen to hit every branch of both rules: joiners, ASCII and non-ASCII
 * whitespace, letters whose lowercase changes length or depends on context (`İ`, `Σ`,
 * Kelvin sign → `k`), combining marks, non-Latin digits, astral letters and symbols, BOM.
 */
const INTERESTING_CHARACTERS = [
  "'", '’', '-', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '.', ',', '\u0000',
  'a', 'b', 'Z', 'é', 'e\u0301', '\u0301', 'ß', 'İ', 'I', 'Σ', 'ς', 'ǅ', '\u212a', 'ﬁ', '中',
  '1', '٣', '½', 'Ⅻ', '𝐀', '𐐀', '😀', '\ufeff', '\ufffd', '\ud7ff', '\ue000',
];

const interestingUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...INTERESTING_CHARACTERS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

export const interestingText: fc.Arbitrary<string> = fc.string({ unit: interestingUnit, maxLength: 60 });

/** Bytes that break UTF-8 in every way: stray continuations, bad leads, truncations. */
const AWKWARD_BYTES = [0x80, 0x99, 0xbf, 0xc0, 0xc1, 0xc2, 0xe0, 0xe2, 0xed, 0xf0, 0xf4, 0xf5, 0xff];

const encoder = new TextEncoder();

/** Valid UTF-8 pieces (whole or cut short) interleaved with awkward single bytes. */
export const interestingBytes: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      interestingUnit.map((text) => Array.from(encoder.encode(text))),
      interestingUnit.map((text) => Array.from(encoder.encode(text)).slice(0, -1)),
      fc.constantFrom(...AWKWARD_BYTES).map((byte) => [byte]),
      fc.integer({ min: 0, max: 255 }).map((byte) => [byte]),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => Uint8Array.from(pieces.flat()));

/** Chunk sizes applied in a cycle; 1 puts a boundary between every pair of bytes. */
export const chunkSizes: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 });

export function splitIntoChunks(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0, turn = 0; start < bytes.length; turn++) {
    const size = sizes[turn % sizes.length];
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

export function countInChunks(bytes: Uint8Array, tokenizer: TokenizerName, sizes: number[]): WordCounter {
  const counter = createWordCounter(tokenizer);
  for (const chunk of splitIntoChunks(bytes, sizes)) counter.write(chunk);
  counter.end();
  return counter;
}

export function asMap(counts: WordCounts): Map<string, number> {
  return new Map(counts.entries());
}
