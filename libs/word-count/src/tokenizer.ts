import { ByteWordCounter, WordCounter } from './byte-word-counter';
import { UnicodeWordCounter } from './unicode-word-counter';
import { WhitespaceWordCounter } from './whitespace-word-counter';
import { WordCounts } from './word-counts';

/**
 * The two word rules. Both read UTF-8 bytes in chunks split anywhere; neither can yield a
 * word containing TAB or LF, which the `word<TAB>count` formats rely on.
 *
 * - `unicode`: a word is a maximal run of Unicode L/M/N characters, where a single `'`,
 *   `’` or `-` between two of them belongs to the word. Words are lowercased with
 *   `toLowerCase` and `’` is stored as `'`. Everything else separates words, including a
 *   BOM and any invalid UTF-8 byte. `It’s` → `it's`, `U.S.` → `u`, `s`.
 * - `whitespace`: a word is a run of bytes between ASCII whitespace (space, TAB, LF, VT,
 *   FF, CR), with only `A`-`Z` lowercased (`Lord,` → `lord,`). A word is made a string by
 *   WHATWG UTF-8 decoding with replacement: each invalid sequence reads as U+FFFD, so words
 *   differing only in their invalid bytes are counted as one. A BOM is kept, as U+FEFF.
 */
export type TokenizerName = 'unicode' | 'whitespace';
export const TOKENIZER_NAMES: readonly TokenizerName[] = Object.freeze(['unicode', 'whitespace'] as const);

export function isTokenizerName(value: string): value is TokenizerName {
  return (TOKENIZER_NAMES as readonly string[]).includes(value);
}

export function createWordCounter(tokenizer: TokenizerName): WordCounter {
  return newCounter(tokenizer);
}

const ENCODER = new TextEncoder();

/**
 * Convenience for tests and small inputs. A string is encoded as UTF-8 first, so a lone
 * surrogate in it becomes U+FFFD.
 */
export function countWords(input: string | Uint8Array, tokenizer: TokenizerName = 'unicode'): WordCounts {
  const counter = newCounter(tokenizer);
  counter.write(typeof input === 'string' ? ENCODER.encode(input) : input);
  counter.end();
  return counter.counts;
}

function newCounter(tokenizer: TokenizerName): ByteWordCounter {
  switch (tokenizer) {
    case 'unicode':
      return new UnicodeWordCounter();
    case 'whitespace':
      return new WhitespaceWordCounter();
    default:
      // Reachable from untyped callers only; the boundary should have rejected the name.
      throw new RangeError(`unknown tokenizer ${JSON.stringify(tokenizer)}; expected one of ${TOKENIZER_NAMES.join(', ')}`);
  }
}
