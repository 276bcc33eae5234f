import { TOKENIZER_NAMES, TokenizerName, countWords, createWordCounter, isTokenizerName } from './tokenizer';

describe('tokenizer names', () => {
  it('lists both rules, unicode first as the default', () => {
    expect(TOKENIZER_NAMES).toEqual(['unicode', 'whitespace']);
    expect(Object.isFrozen(TOKENIZER_NAMES)).toBe(true);
  });

  it('recognises exactly the listed names', () => {
    expect(TOKENIZER_NAMES.every(isTokenizerName)).toBe(true);
    expect(isTokenizerName('Unicode')).toBe(false);
    expect(isTokenizerName('')).toBe(false);
  });

  it('refuses an unknown name from an untyped caller', () => {
    expect(() => createWordCounter('words' as TokenizerName)).toThrow(
      new RangeError('unknown tokenizer "words"; expected one of unicode, whitespace'),
    );
  });
});

describe('countWords', () => {
  it('uses the unicode rule by default and accepts strings or bytes', () => {
    expect(countWords('Lord, lord').get('lord')).toBe(2);
    expect(countWords(new TextEncoder().encode('Lord, lord'), 'whitespace').get('lord,')).toBe(1);
  });

  it('encodes a lone surrogate in a string as U+FFFD, which separates under the unicode rule', () => {
    expect([...countWords('a\ud800b').entries()]).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});
