// Throughput of the word-count tokenizers against a naive baseline, and of the merge-stage
// parser. Needs the built lib: `npx nx run word-count:build`, then
// `node tools/bench/tokenizers.mjs [corpus] [copies]`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const libPath = fileURLToPath(new URL('../../dist/libs/word-count/libs/word-count/src/index.js', import.meta.url));
const { createWordCounter, WordCounts, CountLinesParser, serializeCountLines } = require(libPath);

const corpusPath = process.argv[2] ?? '/work/shared/corpus/kjvbible.txt';
const copies = Number(process.argv[3] ?? 10);
const WARMUP_ROUNDS = 3;
const MEASURED_ROUNDS = 7;
/** The size of the pieces an S3 GetObject stream typically hands over. */
const CHUNK_BYTES = 64 * 1024;

const corpus = readFileSync(corpusPath);
const input = Buffer.concat(Array.from({ length: copies }, () => corpus));
const megabytes = input.length / 1e6;

function medianSeconds(run) {
  for (let round = 0; round < WARMUP_ROUNDS; round++) run();
  const seconds = [];
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    const started = process.hrtime.bigint();
    run();
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return seconds.sort((a, b) => a - b)[MEASURED_ROUNDS >> 1];
}

function countWithLib(tokenizer, chunkBytes) {
  return () => {
    const counter = createWordCounter(tokenizer);
    for (let start = 0; start < input.length; start += chunkBytes) {
      counter.write(input.subarray(start, start + chunkBytes));
    }
    counter.end();
    return counter.counts.size;
  };
}

/** What one would write first: decode, split on whitespace, count in a Map. */
function countNaively() {
  const counts = new Map();
  for (const word of input.toString('utf8').split(/\s+/)) {
    if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts.size;
}

const rows = [];
const baselineSeconds = medianSeconds(countNaively);
const measure = (name, run) => {
  const seconds = medianSeconds(run);
  rows.push({ implementation: name, 'MB/s': (megabytes / seconds).toFixed(1), 'x baseline': (baselineSeconds / seconds).toFixed(2) });
};
measure('unicode (64 KiB chunks)', countWithLib('unicode', CHUNK_BYTES));
measure('unicode (one chunk)', countWithLib('unicode', input.length));
measure('whitespace (64 KiB chunks)', countWithLib('whitespace', CHUNK_BYTES));
measure('whitespace (one chunk)', countWithLib('whitespace', input.length));
rows.push({ implementation: 'baseline split(/\\s+/) + Map', 'MB/s': (megabytes / baselineSeconds).toFixed(1), 'x baseline': '1.00' });
console.log(`${corpusPath} x ${copies} = ${megabytes.toFixed(1)} MB, median of ${MEASURED_ROUNDS} after ${WARMUP_ROUNDS} warm-up rounds`);
console.table(rows);

// Merge stage: a shard-result body with many distinct words, parsed into an empty
// WordCounts (every line inserts) and into one that already holds them (every line updates).
const DISTINCT_WORDS = 2_000_000;
const vocabulary = new WordCounts();
for (let index = 0; index < DISTINCT_WORDS; index++) vocabulary.add(`w${index.toString(36)}ord`, (index % 97) + 1);
const body = Buffer.from(Array.from(serializeCountLines(vocabulary)).join(''));

function parseInto(target) {
  const parser = new CountLinesParser(target);
  for (let start = 0; start < body.length; start += CHUNK_BYTES) parser.write(body.subarray(start, start + CHUNK_BYTES));
  parser.end();
  return parser.lines;
}
const insertSeconds = medianSeconds(() => parseInto(new WordCounts()));
const existing = new WordCounts();
parseInto(existing);
const updateSeconds = medianSeconds(() => parseInto(existing));
console.log(`merge: ${DISTINCT_WORDS.toLocaleString('en')} lines, ${(body.length / 1e6).toFixed(1)} MB`);
console.table([
  { case: 'parse into empty WordCounts', 'entries/s': Math.round(DISTINCT_WORDS / insertSeconds).toLocaleString('en') },
  { case: 'parse into WordCounts holding them', 'entries/s': Math.round(DISTINCT_WORDS / updateSeconds).toLocaleString('en') },
]);
