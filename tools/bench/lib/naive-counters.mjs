// The two naive counters the tokenizers are compared with: what one would write first.
// Both split on whitespace and count in a Map, keeping every byte of a word (no lowercasing,
// no punctuation rules), so they do less work per word than either tokenizer.
import { StringDecoder } from 'node:string_decoder';

/** The size of the pieces an S3 GetObject stream typically hands over. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Decodes the whole input into one string and splits it at once: the slowest plausible naive
 * counter (it holds the text, and the array of all its words, in memory: 1.3 GB for 43 MB).
 */
export function countWholeText(input) {
  const counts = new Map();
  for (const word of input.toString('utf8').split(/\s+/)) {
    if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts.size;
}

/**
 * Streams: takes the input in chunks as S3 hands them over, decodes them (a character split
 * across chunks included), and splits each complete line on whitespace, as a loop over
 * readline's lines would. Memory holds one chunk and the counts.
 */
export function countLineByLine(input) {
  const counts = new Map();
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const countLine = (line) => {
    for (const word of line.split(/\s+/)) {
      if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  };
  const take = (text) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop();
    for (const line of lines) countLine(line);
  };
  for (let start = 0; start < input.length; start += CHUNK_BYTES) take(decoder.write(input.subarray(start, start + CHUNK_BYTES)));
  take(decoder.end());
  countLine(pending);
  return counts.size;
}
