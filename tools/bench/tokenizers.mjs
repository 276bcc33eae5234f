// Throughput of the word-count lib: both tokenizers against two naive baselines, and the
// merge stage's parse+merge of shard results. Needs the built lib:
//   npx nx run word-count:build && node tools/bench/tokenizers.mjs [corpus] [copies]
// Each figure is the median of several rounds after warm-up rounds, in one warm process.
// Wall-clock and CPU-time rates are both shown: on a shared machine the CPU-time rate is
// the steadier estimate of what one otherwise idle core does.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CHUNK_BYTES, countLineByLine, countWholeText } from './lib/naive-counters.mjs';

const require = createRequire(import.meta.url);
const libPath = fileURLToPath(new URL('../../dist/libs/word-count/libs/word-count/src/index.js', import.meta.url));
const { createWordCounter, WordCounts, CountLinesParser, serializeCountLines } = require(libPath);

const corpusPath = process.argv[2] ?? '/work/shared/corpus/kjvbible.txt';
const copies = Number(process.argv[3] ?? 10);
const WARMUP_ROUNDS = 2;
const MEASURED_ROUNDS = 7;

/** Median wall and CPU seconds of `run`. */
function measure(run) {
  for (let round = 0; round < WARMUP_ROUNDS; round++) run();
  const wall = [];
  const cpu = [];
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    const startedCpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    run();
    wall.push(Number(process.hrtime.bigint() - started) / 1e9);
    const used = process.cpuUsage(startedCpu);
    cpu.push((used.user + used.system) / 1e6);
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  return { wall: median(wall), cpu: median(cpu) };
}

function inChunks(bytes, write) {
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) write(bytes.subarray(start, start + CHUNK_BYTES));
}

// ---- Tokenizers -------------------------------------------------------------------------

const corpus = readFileSync(corpusPath);
const input = Buffer.concat(Array.from({ length: copies }, () => corpus));
const megabytes = input.length / 1e6;

function countWithLib(tokenizer) {
  const counter = createWordCounter(tokenizer);
  inChunks(input, (chunk) => counter.write(chunk));
  counter.end();
  return counter.counts.size;
}

console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on this machine`);
console.log(`${corpusPath} x ${copies} = ${megabytes.toFixed(1)} MB in ${CHUNK_BYTES / 1024} KiB chunks; medians of ${MEASURED_ROUNDS} rounds`);
const wholeText = measure(() => countWholeText(input));
const lineByLine = measure(() => countLineByLine(input));
const tokenizerRow = (name, time) => ({
  implementation: name,
  'MB/s (wall)': (megabytes / time.wall).toFixed(1),
  'MB/s (cpu)': (megabytes / time.cpu).toFixed(1),
  'x whole-text (cpu)': (wholeText.cpu / time.cpu).toFixed(2),
  'x per-line (cpu)': (lineByLine.cpu / time.cpu).toFixed(2),
});
console.table([
  tokenizerRow('unicode', measure(() => countWithLib('unicode'))),
  tokenizerRow('whitespace', measure(() => countWithLib('whitespace'))),
  tokenizerRow('baseline: whole text, toString + split(/\\s+/) + Map', wholeText),
  tokenizerRow('baseline: per line, streamed, split(/\\s+/) + Map', lineByLine),
]);
console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} after`);

// ---- Merge ------------------------------------------------------------------------------
// Shard-result bodies as the migrate stage writes them (sorted by word), parsed one after
// another into a single WordCounts as the merge stage does. Words follow a Zipf-like
// spread over a large vocabulary: common words are in every shard, rare ones in few, so
// most lines update a word already counted and some insert a new one.

const SHARDS = 24;
const VOCABULARY = 1_500_000;
const LINES_PER_SHARD = 250_000;

function shardBodies() {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const bodies = [];
  for (let shard = 0; shard < SHARDS; shard++) {
    const counts = new WordCounts();
    while (counts.size < LINES_PER_SHARD) {
      // VOCABULARY ** uniform is log-uniform over ranks: a rough Zipf.
      const rank = Math.floor(VOCABULARY ** random());
      counts.add(`w${rank.toString(36)}`, 1 + Math.floor(1000 / rank));
    }
    bodies.push(Buffer.from(Array.from(serializeCountLines(counts)).join('')));
  }
  return bodies;
}

function parseInto(target, body) {
  const parser = new CountLinesParser(target);
  inChunks(body, (chunk) => parser.write(chunk));
  parser.end();
}

const bodies = shardBodies();
let mergedSize = 0;
const merge = measure(() => {
  const merged = new WordCounts();
  for (const body of bodies) parseInto(merged, body);
  mergedSize = merged.size;
});

// The hardest case for a hash table: one body of distinct words, every line an insertion.
const distinct = new WordCounts();
for (let index = 0; index < 2_000_000; index++) distinct.add(`x${index.toString(36)}`, 1 + (index % 97));
const distinctBody = Buffer.from(Array.from(serializeCountLines(distinct)).join(''));
const inserts = measure(() => parseInto(new WordCounts(), distinctBody));

const mergeRow = (name, lines, time) => ({
  case: name,
  'entries/s (wall)': Math.round(lines / time.wall).toLocaleString('en'),
  'entries/s (cpu)': Math.round(lines / time.cpu).toLocaleString('en'),
});
console.log('merge: CountLinesParser into one WordCounts');
console.table([
  mergeRow(
    `${SHARDS} shards x ${LINES_PER_SHARD.toLocaleString('en')} lines, ${mergedSize.toLocaleString('en')} distinct`,
    SHARDS * LINES_PER_SHARD,
    merge,
  ),
  mergeRow(`1 body, ${distinct.size.toLocaleString('en')} distinct (all inserts)`, distinct.size, inserts),
]);
