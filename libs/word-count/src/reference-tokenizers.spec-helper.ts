/**
 * Slow, obviously correct statements of the two tokenizer rules, for tests only: the fast
 * scanners must agree with these on every input. Written for reading, not for speed.
 */

const WORD_CHARACTER = /\p{L}|\p{M}|\p{N}/u;
const JOINERS = ["'", '’', '-'];

/** The `unicode` rule on whole decoded text, one code point at a time. */
export function referenceUnicodeWords(bytes: Uint8Array): string[] {
  const characters = Array.from(new TextDecoder().decode(bytes));
  const isWord = (position: number) => position >= 0 && position < characters.length && WORD_CHARACTER.test(characters[position]);
  const words: string[] = [];
  let current = '';
  characters.forEach((character, position) => {
    const joins = JOINERS.includes(character) && isWord(position - 1) && isWord(position + 1);
    if (isWord(position) || joins) {
      current += character;
    } else if (current !== '') {
      words.push(current);
      current = '';
    }
  });
  if (current !== '') words.push(current);
  return words.map((word) => word.toLowerCase().replaceAll('’', "'"));
}

/** The `whitespace` rule: split at ASCII whitespace, lowercase only `A`-`Z`. */
export function referenceWhitespaceWords(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return text
    .split(/[ \t\n\v\f\r]+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/[A-Z]/g, (letter) => letter.toLowerCase()));
}

export function tally(words: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}
