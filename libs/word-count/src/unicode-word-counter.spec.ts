import fc from 'fast-check';
import { countWords, createWordCounter } from './tokenizer';
import { referenceUnicodeWords, tally } from './reference-tokenizers.spec-helper';
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

function unicodeWords(text: string | Uint8Array): Map<string, number> {
  return asMap(countWords(text, 'unicode'));
}

function expectWords(text: string | Uint8Array, words: string[]): void {
  expect(unicodeWords(text)).toEqual(tally(words));
}

describe('unicode tokenizer: the documented examples', () => {
  it.each([
    ['It’s', ["it's"]],
    ["It's", ["it's"]],
    ['high-speed', ['high-speed']],
    ['U.S.', ['u', 's']],
    ['rock--roll', ['rock', 'roll']],
    ["'quoted'", ['quoted']],
    ['Straße', ['straße']],
  ])('%s', (text, words) => expectWords(text, words));
});

describe('unicode tokenizer: edge cases', () => {
  it.each([
    ['empty input', '', []],
    ['only separators', ' \t\n.,;!?\'’-— ', []],
    ['a BOM at the start separates', '\ufeffHello world', ['hello', 'world']],
    ['digits are words', 'In 1611, 1611 times', ['in', '1611', '1611', 'times']],
    ['digits join letters', 'mp3 b2b 3-4', ['mp3', 'b2b', '3-4']],
    ['combining marks stay in the word', 'cafe\u0301 e\u0301te\u0301', ['cafe\u0301', 'e\u0301te\u0301']],
    ['a leading combining mark starts a word', '\u0301a', ['\u0301a']],
    ['astral letters are letters', '𝐀𝐁 x𝐀', ['𝐀𝐁', 'x𝐀']],
    // U+FFFF is the BMP table's last entry and U+10000 the first letter past it.
    ['the first astral code point is a letter, the last BMP one is not', 'a\u{ffff}b \u{10000}c', ['a', 'b', '\u{10000}c']],
    ['emoji separate', 'cat😀dog 😀', ['cat', 'dog']],
    ['joiners need a word character on both sides', "a' 'b a'-b a''b a-", ['a', 'b', 'a', 'b', 'a', 'b', 'a']],
    ['several single joiners in one word', "rock-'n'-roll o'clock-tower", ['rock', 'n', 'roll', "o'clock-tower"]],
    ['typographic apostrophe is stored as ASCII', 'don’t DON’T don\'t', ["don't", "don't", "don't"]],
    ['non-ASCII whitespace separates', 'a\u00a0b\u2028c\u3000d', ['a', 'b', 'c', 'd']],
    ['non-Latin scripts', 'Москва и МОСКВА 東京', ['москва', 'и', 'москва', '東京']],
    ['non-ASCII digits and numerals', '٣٤ ½ Ⅻ', ['٣٤', '½', 'ⅻ']],
  ])('%s', (_, text, words) => expectWords(text, words));

  it('lowercases whole words the way toLowerCase does, even where length or context matters', () => {
    const words = ['İSTANBUL', 'ΟΔΟΣ', 'ΣΑΣ', 'STRASSE', 'ǅemal', '\u212aelvin', 'ΌΣΟΣ-ΣΊΣ'];
    expectWords(words.join(' '), words.map((word) => word.toLowerCase()));
    expect(unicodeWords('İ').get('i\u0307')).toBe(1);
  });

  it('merges keys that only become equal once lowercased', () => {
    expect(unicodeWords('École ÉCOLE école \u212a k')).toEqual(new Map([['école', 3], ['k', 2]]));
  });

  it('treats invalid UTF-8 as a separator, never as part of a word', () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0x62, 0xc0, 0x80, 0x63, 0xe2, 0x80, 0x64, 0xed, 0xa0, 0x80, 0x65, 0xe2, 0x80]);
    expectWords(bytes, ['a', 'b', 'c', 'd', 'e']);
  });

  it('does not let an invalid byte swallow the character after it', () => {
    // 0xE2 announces three bytes, but `x` is not a continuation byte: `x` survives.
    expectWords(Uint8Array.from([0xe2, 0x78, 0x79]), ['xy']);
    expectWords(Uint8Array.from([0xf0, 0x9f, 0xc3, 0xa9]), ['é']);
  });

  it('treats a character cut off by the end of input as a separator', () => {
    expectWords(Uint8Array.from([0x61, 0xc3]), ['a']);
  });

  it('never yields a word containing TAB or LF, so the TSV formats are safe', () => {
    const words = [...countWords('a\tb\nc\t\n-\t-\n\'\t\'', 'unicode').entries()].map(([word]) => word);
    expect(words).toEqual(['a', 'b', 'c']);
  });
});

describe('unicode tokenizer: streaming', () => {
  it('gives the same counts whatever the chunking, even mid-character or before a joiner', () => {
    const bytes = encoder.encode('It’s high-speed Straße 𝐀x rock--roll é\u0301 end');
    const whole = unicodeWords(bytes);
    for (let size = 1; size <= 5; size++) {
      expect(asMap(countInChunks(bytes, 'unicode', [size]).counts)).toEqual(whole);
    }
  });

  it('keeps a word that is longer than every chunk and every internal buffer', () => {
    const longWord = 'ab’c-'.repeat(40_000) + 'z';
    const counter = countInChunks(encoder.encode(`${longWord} x ${longWord}`), 'unicode', [4093]);
    expect(counter.counts.get(longWord.toLowerCase().replaceAll('’', "'"))).toBe(2);
  });

  it('counts a large vocabulary exactly, through table growth', () => {
    const words = Array.from({ length: 50_000 }, (_, index) => `w${index.toString(36)}`);
    const counts = countWords(`${words.join(' ')} ${words.join(' ').toUpperCase()}`, 'unicode');
    expect(counts.size).toBe(words.length);
    expect(counts.total).toBe(words.length * 2);
    expect(words.every((word) => counts.get(word) === 2)).toBe(true);
  });

  it('reports words seen so far and refuses misuse', () => {
    const counter = createWordCounter('unicode');
    counter.write(encoder.encode('one two thr'));
    expect(counter.words).toBe(2);
    expect(() => counter.counts).toThrow(/before end/);
    counter.write(encoder.encode('ee'));
    counter.end();
    expect(counter.words).toBe(3);
    expect(counter.counts.get('three')).toBe(1);
    expect(() => counter.write(encoder.encode('x'))).toThrow(/after end/);
  });
});

describe('unicode tokenizer: agrees with the reference', () => {
  it('on random text split into random chunks', () => {
    fc.assert(
      fc.property(interestingText, chunkSizes, (text, sizes) => {
        const bytes = encoder.encode(text);
        const counter = countInChunks(bytes, 'unicode', sizes);
        const expectedWords = referenceUnicodeWords(bytes);
        expect(asMap(counter.counts)).toEqual(tally(expectedWords));
        expect(counter.words).toBe(expectedWords.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('on random bytes split into random chunks', () => {
    fc.assert(
      fc.property(interestingBytes, chunkSizes, (bytes, sizes) => {
        const counter = countInChunks(bytes, 'unicode', sizes);
        const expectedWords = referenceUnicodeWords(bytes);
        expect(asMap(counter.counts)).toEqual(tally(expectedWords));
        expect(counter.words).toBe(expectedWords.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('on inputs cut right after joiners, inside characters and where a word fills the buffer', () => {
    fc.assert(
      fc.property(edgyChunkedBytes, ({ bytes, chunks }) => {
        const counter = countChunks(chunks, 'unicode');
        const expectedWords = referenceUnicodeWords(bytes);
        expect(asMap(counter.counts)).toEqual(tally(expectedWords));
        expect(counter.words).toBe(expectedWords.length);
      }),
      { numRuns: 1000 },
    );
  });
});
