export { compareCodePoints, codePointLength } from './code-points';
export { WordCounts } from './word-counts';
export type { WordCount } from './word-counts';
export type { WordCounter } from './byte-word-counter';
export { TOKENIZER_NAMES, countWords, createWordCounter, isTokenizerName } from './tokenizer';
export type { TokenizerName } from './tokenizer';
