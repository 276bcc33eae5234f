export { compareCodePoints, codePointLength } from './code-points';
export { WordCounts } from './word-counts';
export type { WordCount } from './word-counts';
