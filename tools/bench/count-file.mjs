// One implementation counting the words of FILE in this process: `node count-file.mjs IMPL FILE`,
// IMPL one of naive, unicode, whitespace. Prints one JSON line: the median MB/s of the measured
// rounds, after warm-up rounds, so the figure is a warm process's. Run once per implementation
// by run.mjs, so that each row's peak RSS is that implementation's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { median } from './lib/measure.mjs';

const [implementation, file, roundsText = '5'] = process.argv.slice(2);
const WARMUP_ROUNDS = 2;
const rounds = Number(roundsText);
/** The size of the pieces an S3 GetObject stream hands over. */
const CHUNK_BYTES = 64 * 1024;
const input = readFileSync(file);

/** What one would write first: decode, split on whitespace, count in a Map. */
function countNaively() {
  const counts = new Map();
  for (const word of input.toString('utf8').split(/\s+/)) {
    if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts.size;
}

function libraryCounter(tokenizer) {
  const require = createRequire(import.meta.url);
  const { createWordCounter } = require('../../dist/libs/word-count/libs/word-count/src/index.js');
  return () => {
    const counter = createWordCounter(tokenizer);
    for (let start = 0; start < input.length; start += CHUNK_BYTES) counter.write(input.subarray(start, start + CHUNK_BYTES));
    counter.end();
    return counter.counts.size;
  };
}

const count = implementation === 'naive' ? countNaively : libraryCounter(implementation);
const seconds = [];
for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
  const started = process.hrtime.bigint();
  count();
  if (round >= WARMUP_ROUNDS) seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
}
process.stdout.write(`${JSON.stringify({ implementation, megabytesPerSecond: input.length / 1e6 / median(seconds) })}\n`);
