// One implementation counting the words of FILE in this process: `node count-file.mjs IMPL FILE`,
// IMPL one of naive (whole text), naive-lines (per line, streamed), unicode, whitespace.
// Prints one JSON line: the median MB/s of the measured
// rounds, after warm-up rounds, so the figure is a warm process's. Run once per implementation
// by run.mjs, so that each row's peak RSS is that implementation's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { median } from './lib/measure.mjs';
import { CHUNK_BYTES, countLineByLine, countWholeText } from './lib/naive-counters.mjs';

const [implementation, file, roundsText = '5'] = process.argv.slice(2);
const WARMUP_ROUNDS = 2;
const rounds = Number(roundsText);
const input = readFileSync(file);

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

const naive = { naive: () => countWholeText(input), 'naive-lines': () => countLineByLine(input) };
const count = naive[implementation] ?? libraryCounter(implementation);
const seconds = [];
for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
  const started = process.hrtime.bigint();
  count();
  if (round >= WARMUP_ROUNDS) seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
}
process.stdout.write(`${JSON.stringify({ implementation, megabytesPerSecond: input.length / 1e6 / median(seconds) })}\n`);
