// The benchmark's inputs, all cut from one text (the King James Bible, as in the issue).
import { readFileSync } from 'node:fs';

export const CORPUS_PATH = '/work/shared/corpus/kjvbible.txt';

export function readCorpus(path = CORPUS_PATH) {
  return readFileSync(path);
}

/** `copies` copies of the corpus cut into files of about `fileBytes` each, at line ends. */
export function cutIntoFiles(corpus, copies, fileBytes) {
  const text = Buffer.concat(Array.from({ length: copies }, () => corpus));
  const files = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + fileBytes);
    const newline = text.indexOf(0x0a, end);
    end = newline === -1 || end === text.length ? text.length : newline + 1;
    files.push(text.subarray(start, end));
    start = end;
  }
  return files;
}

/** `count` pieces of about `bytes` each, taken in turn from the corpus (cut at line ends). */
export function smallPieces(corpus, count, bytes) {
  const pieces = [];
  let start = 0;
  for (let index = 0; index < count; index++) {
    if (start + bytes * 2 > corpus.length) start = 0;
    const newline = corpus.indexOf(0x0a, start + bytes);
    pieces.push(corpus.subarray(start, newline + 1));
    start = newline + 1;
  }
  return pieces;
}

/** Yields `totalBytes` (rounded up to whole corpus copies) of text in `chunkBytes` pieces, never holding more. */
export function* repeatedText(corpus, totalBytes) {
  for (let written = 0; written < totalBytes; written += corpus.length) yield corpus;
}
