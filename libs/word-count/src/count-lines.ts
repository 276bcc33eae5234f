import { compareCodePoints } from './code-points';
import { sortByCountThenWord } from './ranking';
import { WordCounts } from './word-counts';

/*
 * Both formats are lines of `word<TAB>count\n`. That is unambiguous because neither
 * tokenizer can produce a word containing TAB or LF (both are separators under both rules).
 */

/** The per-file output format: count descending, then word ascending by code point. */
export function formatFileCounts(counts: WordCounts): string {
  let text = '';
  for (const { word, count } of sortByCountThenWord(counts.entries())) text += `${word}\t${count}\n`;
  return text;
}

export const DEFAULT_CHUNK_CHARS = 64 * 1024;

/**
 * The shard-result body, sorted by word in code-point order so equal counts give equal
 * bytes. Yields pieces of about `chunkChars` characters (a piece always ends at a line end)
 * so a huge vocabulary can stream to an upload; an empty vocabulary yields nothing.
 */
export function* serializeCountLines(counts: WordCounts, chunkChars = DEFAULT_CHUNK_CHARS): Generator<string> {
  if (!Number.isInteger(chunkChars) || chunkChars <= 0) {
    throw new RangeError(`chunkChars must be a positive integer, got ${chunkChars}`);
  }
  const entries = Array.from(counts.entries()).sort(([a], [b]) => compareCodePoints(a, b));
  let piece = '';
  for (const [word, count] of entries) {
    piece += `${word}\t${count}\n`;
    if (piece.length >= chunkChars) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}
