// `npm run bench [-- options]`: how fast wordbatch counts, on this machine, now. Prints the
// tokenizer figures (tools/bench/tokenizers.mjs), a table of implementations (MB/s, ratio to
// the two naive baselines, peak RSS), then the pipeline figures. A benchmark, not a test: nothing
// fails on a slow figure; the targets are printed beside the figures. See docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCorpus } from './lib/corpus.mjs';
import { BENCH_DIR, buildKit, bundleBenchProgram } from './lib/kit.mjs';
import { median, MB, runMeasured } from './lib/measure.mjs';
import { planFromInventory } from './lib/inventory-bench.mjs';
import { mergeAtScale, mergeShardResults } from './lib/merge-bench.mjs';
import { gzippedShard, manySmallObjects, oneLargeObject, partKey, RESULTS, shardOfManyFiles, SOURCE } from './lib/migrate-bench.mjs';
import { localPipeline, processPerFile, rawGetRate, sdkFetchRate, serveLocalRunData, writeSmallFiles } from './lib/pipeline-bench.mjs';
import { growthSvg, writeSweepPlot } from './lib/plot.mjs';
import { PLAN_BENCH_LAYOUTS, planOverListing } from './lib/plan-bench.mjs';
import { formatReport } from './lib/report.mjs';
import { ensureRclone, manySmallAgainstRclone } from './lib/rclone-bench.mjs';
import { plainGetRate, startS3Process } from './lib/s3.mjs';
import { measureFixedCost } from './lib/startup.mjs';
import { throttledRun } from './lib/throttled-bench.mjs';

const SECTIONS = ['tokenizers', 'counting', 'migrate', 'gzip', 'large', 'merge', 'merge-scale', 'inventory', 'rclone', 'throttled', 'pipeline', 'startup'];
const HELP = `npm run bench [-- options]

  --dist DIR         measure the stage bundles of another build (default: dist), e.g. a
                     checkout of an older commit built with its own bundler
  --compare DIR      the startup section also measures that build's bundles (another
                     --dist), interleaved with this one's, e.g. a build of an older commit
  --no-build         do not build first
  --only LIST        only these sections: ${SECTIONS.join(',')},sweep,many-objects,plan-scale
  --plan-scale       also plan over 100k, 1M and 10M listed keys (minutes)
  --plan-scale-keys LIST  those key counts instead (e.g. 100000,1000000)
  --plan-scale-layout L   the listed keys: folders (dNN/sNN/part-N.txt, default) or flat
                     (access-log names, no folder below the prefix)
  --plan-scale-sequential-keys LIST  key counts also planned with --list-concurrency 1,
                     for the ratio (default 100000)
  --scale-plot FILE.svg  draw plan's growth with the number of keys
  --many-objects     also a shard of 100,000 small objects (minutes: uploading them dominates)
  --sweep            also migrate's throughput by object size, on one core and on all
  --plot FILE.svg    draw the sweep (implies --sweep)
  --json FILE        also write every figure as JSON
  --large-mib N      the size of the large section's one object (default 1024: 1 GiB)
  --merge-shards LIST  merge-scale: the numbers of shard results merged (default 1000,10000)
  --rclone-objects N   rclone: how many ~4 KB objects (default 10000)
  --throttled-shards N   throttled: the plan's shards, of 2 small objects each (default 1000)
  --throttled-at-once N  throttled: migrate children at a time (default 50)
`;

const { values: flags } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    compare: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
    'many-objects': { type: 'boolean', default: false },
    'plan-scale': { type: 'boolean', default: false },
    'scale-plot': { type: 'string' },
    'plan-scale-keys': { type: 'string', default: '100000,1000000,10000000' },
    'plan-scale-layout': { type: 'string', default: 'folders' },
    'plan-scale-sequential-keys': { type: 'string', default: '100000' },
    sweep: { type: 'boolean', default: false },
    plot: { type: 'string' },
    json: { type: 'string' },
    'large-mib': { type: 'string', default: '1024' },
    'merge-shards': { type: 'string', default: '1000,10000' },
    'rclone-objects': { type: 'string', default: '10000' },
    'throttled-shards': { type: 'string', default: '1000' },
    'throttled-at-once': { type: 'string', default: '50' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (!PLAN_BENCH_LAYOUTS.includes(flags['plan-scale-layout'])) {
  process.stderr.write(`--plan-scale-layout: ${flags['plan-scale-layout']} is not one of ${PLAN_BENCH_LAYOUTS.join(', ')}\n`);
  process.exit(2);
}
const chosen = new Set(flags.only ? flags.only.split(',') : SECTIONS);
if (flags['many-objects']) chosen.add('many-objects');
if (flags['plan-scale']) chosen.add('plan-scale');
if (flags.sweep || flags.plot) chosen.add('sweep');
const wants = (section) => chosen.has(section);

const CORPUS_COPIES = 10;
const SMALL_FILES = 10_000;
const SMALL_FILE_BYTES = 4096;
const PER_FILE_SAMPLE = 100;
const results = {
  startedAt: new Date().toISOString(),
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version },
  loadAverageBefore: loadavg(),
  dist: flags.dist,
};
const progress = (text) => process.stderr.write(`bench: ${text}\n`);

if (!flags['no-build']) {
  progress('building the stage bundles and the word-count lib');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'plan', 'migrate', 'merge', 'wordbatch', 'word-count', '--outputStyle=static'], {
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);
}
mkdirSync(BENCH_DIR, { recursive: true });
await buildKit();
const corpus = readCorpus();
const corpusFile = join(BENCH_DIR, `corpus-x${CORPUS_COPIES}.txt`);
writeFileSync(corpusFile, Buffer.concat(Array.from({ length: CORPUS_COPIES }, () => corpus)));
results.corpusMegabytes = (corpus.length * CORPUS_COPIES) / MB;

if (wants('tokenizers')) {
  progress('tokenizers (tools/bench/tokenizers.mjs)');
  const run = await runMeasured(process.execPath, ['tools/bench/tokenizers.mjs']);
  if (run.code !== 0) throw new Error(`tokenizers.mjs exited ${run.code}:\n${run.stderr}`);
  results.tokenizers = { output: run.stdout, maxRssBytes: run.maxRssBytes };
}

if (wants('counting')) {
  progress('counting the corpus: each implementation in a process of its own');
  const rows = [];
  for (const implementation of ['naive', 'naive-lines', 'unicode', 'whitespace']) {
    const run = await runMeasured(process.execPath, ['tools/bench/count-file.mjs', implementation, corpusFile]);
    if (run.code !== 0) throw new Error(`count-file.mjs ${implementation} exited ${run.code}:\n${run.stderr}`);
    rows.push({ implementation, ...JSON.parse(run.stdout), maxRssBytes: run.maxRssBytes });
  }
  const wcNative = join(BENCH_DIR, 'wc-native');
  const compiled = spawnSync('cc', ['-O2', '-o', wcNative, 'tools/bench/native/wc-native.c'], { encoding: 'utf8' });
  const natives = [['wc -w', 'wc', ['-w', corpusFile]]];
  if (compiled.status === 0) natives.push(['C counter', wcNative, [corpusFile]]);
  else progress(`no C reference: cc failed (${compiled.stderr.trim()})`);
  for (const [implementation, command, args] of natives) {
    const runs = [];
    for (let round = 0; round < 5; round++) runs.push(await runMeasured(command, args));
    rows.push({
      implementation,
      megabytesPerSecond: results.corpusMegabytes / (median(runs.map((run) => run.wallMs)) / 1000),
      maxRssBytes: Math.max(...runs.map((run) => run.maxRssBytes)),
    });
  }
  results.counting = rows;
}

const needsServer = ['migrate', 'gzip', 'large', 'merge', 'merge-scale', 'inventory', 'rclone', 'throttled', 'sweep', 'many-objects', 'startup'].some(wants);
if (wants('rclone')) ensureRclone(progress);
if (needsServer) {
  const serverDir = join(BENCH_DIR, 's3');
  rmSync(serverDir, { recursive: true, force: true });
  const s3 = await startS3Process(serverDir, [SOURCE, RESULTS]);
  try {
    if (wants('migrate')) {
      progress('migrate: a shard of many files, on one core and on all');
      // Big enough that starting threads and warming them up (a few tenths of a second) weigh
      // little, as in a real shard (4 GiB by default): at 347 MB they cost 0.15-0.2 of the ratio.
      results.shardOfManyFiles = await shardOfManyFiles(s3, flags.dist, corpus, { copies: 200, fileBytes: 1_000_000, rounds: 3, prefix: 'many' });
    }
    if (wants('gzip')) {
      progress('migrate: the same shard plain and gzip\'d, on every core');
      results.gzip = await gzippedShard(s3, flags.dist, corpus, { copies: 40, fileBytes: 1_000_000, rounds: 3 });
    }
    if (wants('large')) {
      progress(`migrate: one ${flags['large-mib']} MiB object (streamed into the server first), on 1 core and on all, and wc -w`);
      results.largeObject = await oneLargeObject(s3, flags.dist, corpus, Number(flags['large-mib']) * 2 ** 20);
    }
    if (wants('merge')) {
      progress('merge: 8 shard results of 250,000 lines');
      results.merge = await mergeShardResults(s3, flags.dist, { shards: 8, linesPerShard: 250_000, vocabulary: 1_500_000 });
    }
    if (wants('merge-scale')) {
      const shardCounts = flags['merge-shards'].split(',').map(Number);
      progress(`merge: ${shardCounts.join(' and ')} shard results of 2,000 lines`);
      results.mergeScale = await mergeAtScale(s3, flags.dist, { shardCounts, linesPerShard: 2_000, vocabulary: 1_000_000 });
    }
    if (wants('rclone')) {
      progress(`migrate counting ${flags['rclone-objects']} ~4 KB objects, and rclone copying them`);
      results.rclone = await manySmallAgainstRclone(s3, flags.dist, corpus, { count: Number(flags['rclone-objects']), bytes: 4096, rounds: 3 });
    }
    if (wants('throttled')) {
      progress(`the throttled run: ${flags['throttled-shards']} shards, ${flags['throttled-at-once']} children at a time, unthrottled then throttled`);
      results.throttled = await throttledRun(s3, flags.dist, corpus, {
        shards: Number(flags['throttled-shards']),
        atOnce: Number(flags['throttled-at-once']),
        objectsPerShard: 2,
        rates: { readsPerSecond: 20, writesPerSecond: 10 },
      });
    }
    if (wants('inventory')) {
      progress('plan: 1,000,000 objects from an S3 Inventory report');
      results.inventory = await planFromInventory(s3, flags.dist, 1_000_000, 100);
    }
    if (wants('many-objects')) {
      progress('migrate: a shard of 100,000 small objects (uploading them takes minutes)');
      results.manyObjects = await manySmallObjects(s3, flags.dist, corpus, 100_000, 1024);
    }
    if (wants('sweep')) {
      progress('migrate by object size');
      results.sweep = [];
      for (const fileBytes of [4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216]) {
        // About 2,000 objects for the small sizes, about 128 MB for the large ones.
        const copies = Math.max(1, Math.round(Math.min(2000 * fileBytes, 128 * MB) / corpus.length));
        const prefix = `sweep-${fileBytes}`;
        const figures = await shardOfManyFiles(s3, flags.dist, corpus, { copies, fileBytes, rounds: 1, prefix });
        const keys = Array.from({ length: figures.files }, (_, index) => partKey(prefix, index));
        const plainGets = await plainGetRate(s3.endpoint, SOURCE, keys);
        results.sweep.push({ fileBytes, ...figures, plainGetMegabytesPerSecond: (plainGets * figures.bytes) / figures.files / MB });
      }
    }
    if (wants('startup')) {
      progress('the fixed cost of a real run: each stage on one 256 KiB object, start to exit');
      const builds = [['this build', flags.dist], ...(flags.compare ? [[flags.compare, flags.compare]] : [])];
      results.startup = await measureFixedCost(s3, builds, { source: SOURCE, results: RESULTS });
    }
  } finally {
    await s3.stop();
  }
}

if (wants('pipeline')) {
  progress(`the local pipeline over ${SMALL_FILES.toLocaleString('en')} files of ~${SMALL_FILE_BYTES} bytes`);
  const folder = join(BENCH_DIR, 'small-files');
  const dataDir = join(BENCH_DIR, 'local-run');
  writeSmallFiles(folder, corpus, SMALL_FILES, SMALL_FILE_BYTES);
  rmSync(dataDir, { recursive: true, force: true });
  const pipeline = await localPipeline(flags.dist, folder, dataDir, SMALL_FILES);
  progress('the same objects: plain GETs, and one process per object');
  const { s3, keys } = await serveLocalRunData(pipeline.runDir);
  try {
    const raw = await rawGetRate(s3, keys, 3);
    const fetchProgram = await bundleBenchProgram('fetch-only', { minify: true });
    const fetchOnly = await sdkFetchRate(fetchProgram, s3, keys, pipeline.migrateChildren);
    const perFileProgram = await bundleBenchProgram('per-file', { minify: true });
    const perFile = await processPerFile(perFileProgram, s3, keys.slice(0, PER_FILE_SAMPLE), availableParallelism());
    results.pipeline = { pipeline, raw, fetchOnly, perFile };
  } finally {
    await s3.stop();
  }
}

if (wants('plan-scale')) {
  // The measure: pages of 1,000 after 50 ms, about what S3 gives.
  const latencyMs = 50;
  const layout = flags['plan-scale-layout'];
  results.planScale = [];
  for (const keys of flags['plan-scale-keys'].split(',').map(Number)) {
    progress(`plan over ${keys.toLocaleString('en')} listed keys (${layout}), ${latencyMs} ms a page`);
    results.planScale.push(await planOverListing(flags.dist, { keys, latencyMs, layout }));
  }
  results.planScaleSequential = [];
  for (const keys of flags['plan-scale-sequential-keys'].split(',').filter(Boolean).map(Number)) {
    progress(`plan over ${keys.toLocaleString('en')} keys (${layout}) listed sequentially (--list-concurrency 1), for the ratio`);
    results.planScaleSequential.push(await planOverListing(flags.dist, { keys, latencyMs, listConcurrency: 1, layout }));
  }
}

results.loadAverageAfter = loadavg();
process.stdout.write(formatReport(results));
if (flags.json) writeFileSync(flags.json, `${JSON.stringify(results, null, 2)}\n`);
if (flags['scale-plot'] && results.planScale) {
  const rows = results.planScale;
  writeFileSync(
    flags['scale-plot'],
    growthSvg({
      title: `plan over a listing endpoint (${rows[0]?.layout ?? 'folders'} keys, 1,000 a page, 50 ms a page)`,
      xLabel: 'keys listed',
      xs: rows.map((row) => row.keys),
      xTick: (keys) => (keys >= 1e6 ? `${keys / 1e6}M` : `${keys / 1e3}k`),
      panels: [
        { yLabel: 'seconds (whole process)', series: [{ label: 'plan, 16 listings in flight', color: '#1f6feb', values: rows.map((row) => row.wallMs / 1000) }], limit: { value: 120, label: 'target: 10M in 2 min' } },
        { yLabel: 'peak RSS (MiB)', series: [{ label: 'plan', color: '#d9822b', values: rows.map((row) => row.maxRssBytes / 2 ** 20) }], limit: { value: 1024, label: '1 GiB' } },
      ],
    }),
  );
  progress(`wrote ${flags['scale-plot']}`);
}
if (flags.plot && results.sweep) {
  writeSweepPlot(flags.plot, results.sweep);
  progress(`wrote ${flags.plot}`);
}
