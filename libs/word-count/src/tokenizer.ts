import { ByteWordCounter, WordCounter } from './byte-word-counter';
import { UnicodeWordCounter } from './unicode-word-counter';
import { WhitespaceWordCounter } from './whitespace-word-counter';
import { WordCounts } from './word-counts';

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
