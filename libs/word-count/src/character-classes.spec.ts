import { isWordCodePoint } from './character-classes';

describe('isWordCodePoint', () => {
  // The scanner reads the BMP bitmap itself, so only a direct call reaches this function's BMP branch.
  it.each([
    [0x61, true], // a
    [0x37, true], // 7
    [0x301, true], // combining acute accent (M)
    [0x4e2d, true], // 中
    [0x20, false], // space
    [0x27, false], // ' (a joiner, not a word character)
    [0x2019, false], // ’
    [0xfffd, false], // replacement character
    [0x1d400, true], // 𝐀
    [0x1f600, false], // 😀
  ])('code point %i is a word character: %s', (codePoint, expected) => {
    expect(isWordCodePoint(codePoint)).toBe(expected);
  });
});
