import fc from 'fast-check';
import { countWords } from './tokenizer';
import { referenceWhitespaceWords, tally } from './reference-tokenizers.spec-helper';
import {
  asMap,
  chunkSizes,
  countChunks,
  countInChunks,
  edgyChunkedBytes,
  interestingBytes,
  interestingText,
} from './test-inputs.spec-helper';

const encoder = new TextEncoder();

function expectWords(input: string | Uint8Array, words: string[]): void {
  expect(asMap(countWords(input, 'whitespace'))).toEqual(tally(words));
}

describe('whitespace tokenizer: the documented rule', () => {
  it.each([
    ['punctuation stays, ASCII letters are lowercased', 'Lord, the LORD said.', ['lord,', 'the', 'lord', 'said.']],
    ['every ASCII whitespace byte separates', 'a b\tc\nd\ve\ff\rg', ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
    ['non-ASCII letters are kept as they are', 'Straße STRASSE İstanbul ÉCOLE', ['straße', 'strasse', 'İstanbul', 'École']],
    ['non-ASCII whitespace does not separate', 'a\u00a0b c\u2028d', ['a\u00a0b', 'c\u2028d']],
    ['apostrophes and hyphens are plain bytes', "It’s rock--roll 'quoted'", ['it’s', 'rock--roll', "'quoted'"]],
    ['a BOM is kept as part of the first word', '\ufeffThe end', ['\ufeffthe', 'end']],
    ['empty input', '', []],
    ['only separators', ' \t\r\n\n  ', []],
  ])('%s', (_, text, words) => expectWords(text, words));

  it('decodes invalid UTF-8 in a word with replacement semantics (U+FFFD)', () => {
    expectWords(Uint8Array.from([0x41, 0xff, 0x42, 0x20, 0xe2, 0x80, 0x20, 0xc3, 0xa9]), ['a\ufffdb', '\ufffd', 'é']);
  });

  it('merges words whose bytes differ only in invalid UTF-8, since they read the same', () => {
    const counts = countWords(Uint8Array.from([0x78, 0xff, 0x20, 0x78, 0xfe]), 'whitespace');
    expect(asMap(counts)).toEqual(new Map([['x\ufffd', 2]]));
  });

  it('never yields a word containing TAB or LF, so the TSV formats are safe', () => {
    const words = [...countWords('a\tb\nc\t\n\t\n', 'whitespace').entries()].map(([word]) => word);
    expect(words).toEqual(['a', 'b', 'c']);
  });
});

describe('whitespace tokenizer: agrees with the reference', () => {
  it('on random text split into random chunks', () => {
    fc.assert(
      fc.property(interestingText, chunkSizes, (text, sizes) => {
        const bytes = encoder.encode(text);
        const counter = countInChunks(bytes, 'whitespace', sizes);
        const expectedWords = referenceWhitespaceWords(bytes);
        expect(asMap(counter.counts)).toEqual(tally(expectedWords));
        expect(counter.words).toBe(expectedWords.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('on random bytes split into random chunks', () => {
    fc.assert(
      fc.property(interestingBytes, chunkSizes, (bytes, sizes) => {
        const counter = countInChunks(bytes, 'whitespace', sizes);
        const expectedWords = referenceWhitespaceWords(bytes);
        expect(asMap(counter.counts)).toEqual(tally(expectedWords));
        expect(counter.words).toBe(expectedWords.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('on inputs cut right after joiners, inside characters and where a word fills the buffer', () => {
    fc.assert(
      fc.property(edgyChunkedBytes, ({ bytes, chunks }) => {
        const counter = countChunks(chunks, 'whitespace');
        const expectedWords = referenceWhitespaceWords(bytes);
        expect(asMap(counter.counts)).toEqual(tally(expectedWords));
        expect(counter.words).toBe(expectedWords.length);
      }),
      { numRuns: 1000 },
    );
  });
});
