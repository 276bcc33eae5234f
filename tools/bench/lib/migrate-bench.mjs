// The migrate stage on its own: a shard of many files on one core and on every core, one
// very large object, and (opt-in) a shard of 100,000 small objects.
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { cutIntoFiles, repeatedText, smallPieces } from './corpus.mjs';
import { median, MB, runMeasured } from './measure.mjs';
import { availableParallelism } from 'node:os';
import { BENCH_DIR, bundleBenchProgram } from './kit.mjs';
import { putAll } from './s3.mjs';
import { migrate, plan } from './stages.mjs';

export const SOURCE = 'bench-src';
export const RESULTS = 'bench-dst';

/** The key of part `index` of a shard's files. */
export const partKey = (prefix, index) => `${prefix}/part-${String(index).padStart(5, '0')}.txt`;

/** Restricts a running process (every thread of it) to `cpus`, e.g. '0' or '0,1'. */
function pin(pid, cpus) {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

function figures(run) {
  return {
    megabytesPerSecond: run.done.bytes / MB / (run.done.durationMs / 1000),
    durationMs: run.done.durationMs,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    maxRssBytes: run.maxRssBytes,
    countingThreads: run.done.countingThreads ?? 0,
  };
}

function medianBy(runs, key) {
  return median(runs.map((run) => run[key]));
}

/** The medians of a list of figures, field by field. */
function summarize(runs) {
  return {
    megabytesPerSecond: medianBy(runs, 'megabytesPerSecond'),
    coresUsed: median(runs.map((run) => run.cpuMs / run.wallMs)),
    maxRssBytes: Math.max(...runs.map((run) => run.maxRssBytes)),
    countingThreads: Math.max(...runs.map((run) => run.countingThreads)),
    runs: runs.length,
  };
}

/**
 * One shard of `copies` copies of the corpus cut into files of about `fileBytes`: migrate
 * with the whole machine (server and migrate) held to CPU 0, then free on every CPU,
 * alternately, `rounds` times each. Both runs carry the S3 server's own work, so the ratio
 * says what the second core adds to the system, as a remote S3 would not cost any core.
 */
export async function shardOfManyFiles(s3, dist, corpus, { copies, fileBytes, rounds, prefix }) {
  const files = cutIntoFiles(corpus, copies, fileBytes);
  await putAll(s3.store, SOURCE, files.map((body, index) => [partKey(prefix, index), body]), 8);
  const planUri = await plan(dist, s3.env, `s3://${SOURCE}/${prefix}/`, `s3://${RESULTS}/out/`, prefix, 1);
  const oneCore = [];
  const allCores = [];
  for (let round = 0; round < rounds; round++) {
    pin(s3.pid, '0');
    oneCore.push(figures(await migrate(dist, s3.env, planUri, 0, { cpus: '0' })));
    pin(s3.pid, allCpus());
    allCores.push(figures(await migrate(dist, s3.env, planUri, 0)));
  }
  return {
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.length, 0),
    oneCore: summarize(oneCore),
    allCores: summarize(allCores),
  };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux): the server's share of a run. */
function processCpuMs(pid) {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function allCpus() {
  return execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' }).trim().split(': ').at(-1);
}

/**
 * One object of `totalBytes` (whole corpus copies), streamed into the server, then counted by
 * migrate held to one core (server too, as in shardOfManyFiles) and free on every core,
 * alternately, `rounds` times each; and `wc -w` on the same bytes in a local file. MB/s here
 * is the whole process's: the object's bytes over the process's wall time, start-up included,
 * as `wc -w` is measured. Large objects are read as ranged GETs and counted in pieces on every
 * thread (--split-above, --part-size, --parts-in-flight; `migrateFlags` to try others).
 * Beside each migrate run, the ceiling (thread-gets.ts): threads that GET their own ranges
 * and only count, 1 on 1 core and one per core on all, which must count the same words.
 */
export async function oneLargeObject(s3, dist, corpus, totalBytes, { rounds = 3, migrateFlags = [] } = {}) {
  const key = 'large/one-object.txt';
  await s3.store.putChunks({ bucket: SOURCE, key }, repeatedText(corpus, totalBytes));
  const bytes = Math.ceil(totalBytes / corpus.length) * corpus.length;
  const localFile = join(BENCH_DIR, 'one-large-object.txt');
  await pipeline(Readable.from(repeatedText(corpus, totalBytes)), createWriteStream(localFile));
  const planUri = await plan(dist, s3.env, `s3://${SOURCE}/large/`, `s3://${RESULTS}/out/`, 'large', 1);
  const threadGets = await bundleBenchProgram('thread-gets', { minify: true });
  const objectUrl = `${s3.endpoint}/${SOURCE}/${key}`;
  // Where the time goes, whatever the load: CPU time per MB of a run and of the server it reads.
  const perMegabyte = async (start) => {
    const serverBefore = processCpuMs(s3.pid);
    const run = await start();
    const serverCpuMs = processCpuMs(s3.pid) - serverBefore;
    return {
      run,
      processMegabytesPerSecond: bytes / MB / (run.wallMs / 1000),
      cpuMsPerMegabyte: run.cpuMs / (bytes / MB),
      serverCpuMsPerMegabyte: serverCpuMs / (bytes / MB),
      maxRssBytes: run.maxRssBytes,
    };
  };
  const measured = async (options) => {
    const { run, ...rates } = await perMegabyte(() => migrate(dist, s3.env, planUri, 0, { ...options, args: migrateFlags }));
    return { ...figures(run), ...rates, words: run.done.words };
  };
  // The ceiling without migrate's relay (thread-gets.ts): its words must be migrate's.
  const ceiling = async (threads, options, words) => {
    const { run, ...rates } = await perMegabyte(() => runMeasured(process.execPath, [threadGets, objectUrl, String(bytes), String(threads), String(8 * 2 ** 20)], options));
    if (run.code !== 0) throw new Error(`thread-gets exited ${run.code}:\n${run.stderr.slice(-2000)}`);
    const counted = JSON.parse(run.stdout).words;
    if (counted !== words) throw new Error(`thread-gets counted ${counted} words, migrate ${words}`);
    return { threads, ...rates };
  };
  const oneCore = [];
  const allCores = [];
  const ceilingOneCore = [];
  const ceilingAllCores = [];
  const wc = [];
  for (let round = 0; round < rounds; round++) {
    pin(s3.pid, '0');
    oneCore.push(await measured({ cpus: '0' }));
    ceilingOneCore.push(await ceiling(1, { cpus: '0' }, oneCore.at(-1).words));
    pin(s3.pid, allCpus());
    allCores.push(await measured({}));
    ceilingAllCores.push(await ceiling(availableParallelism(), {}, allCores.at(-1).words));
    const run = await runMeasured('wc', ['-w', localFile]);
    wc.push({ megabytesPerSecond: bytes / MB / (run.wallMs / 1000), maxRssBytes: run.maxRssBytes });
  }
  rmSync(localFile, { force: true });
  const ceilingMedians = (runs) => ({
    processMegabytesPerSecond: median(runs.map((run) => run.processMegabytesPerSecond)),
    cpuMsPerMegabyte: median(runs.map((run) => run.cpuMsPerMegabyte)),
    serverCpuMsPerMegabyte: median(runs.map((run) => run.serverCpuMsPerMegabyte)),
  });
  const medians = (runs) => ({
    ...summarize(runs),
    processMegabytesPerSecond: median(runs.map((run) => run.processMegabytesPerSecond)),
    cpuMsPerMegabyte: median(runs.map((run) => run.cpuMsPerMegabyte)),
    serverCpuMsPerMegabyte: median(runs.map((run) => run.serverCpuMsPerMegabyte)),
  });
  return {
    bytes,
    migrateFlags,
    rounds,
    oneCore: medians(oneCore),
    allCores: medians(allCores),
    ceiling: { threads: availableParallelism(), oneCore: ceilingMedians(ceilingOneCore), allCores: ceilingMedians(ceilingAllCores) },
    wcMegabytesPerSecond: median(wc.map((run) => run.megabytesPerSecond)),
    // What the earlier report printed, kept for --json readers: the all-core run.
    ...summarize(allCores),
  };
}

/** A shard of `count` objects of about `bytes` each. */
export async function manySmallObjects(s3, dist, corpus, count, bytes) {
  const pieces = smallPieces(corpus, count, bytes);
  await putAll(s3.store, SOURCE, pieces.map((body, index) => [`small/${String(index).padStart(6, '0')}.txt`, body]), 32);
  const planUri = await plan(dist, s3.env, `s3://${SOURCE}/small/`, `s3://${RESULTS}/out/`, 'small', 1);
  const run = figures(await migrate(dist, s3.env, planUri, 0));
  return { files: count, objectsPerSecond: count / (run.durationMs / 1000), ...summarize([run]) };
}

/**
 * The same shard twice, as plain text and gzip'd (one object per file, `.txt.gz`), counted by
 * migrate on every core, alternately, `rounds` times each. A gzip'd object is inflated as a
 * stream on the thread that counts it and is never cut into pieces, so the figure that matters
 * to a log bucket is how much text per second comes out: uncompressed MB/s, beside the stored
 * (compressed) MB/s that the network has to carry.
 */
export async function gzippedShard(s3, dist, corpus, { copies, fileBytes, rounds }) {
  const files = cutIntoFiles(corpus, copies, fileBytes);
  const gzipped = files.map((body) => gzipSync(body, { level: 6 }));
  await putAll(s3.store, SOURCE, files.map((body, index) => [partKey('gzip-plain', index), body]), 8);
  await putAll(s3.store, SOURCE, gzipped.map((body, index) => [`${partKey('gzip', index)}.gz`, body]), 8);
  const plainPlan = await plan(dist, s3.env, `s3://${SOURCE}/gzip-plain/`, `s3://${RESULTS}/out/`, 'gzip-plain', 1);
  const gzipPlan = await plan(dist, s3.env, `s3://${SOURCE}/gzip/`, `s3://${RESULTS}/out/`, 'gzip', 1);
  const textBytes = files.reduce((sum, file) => sum + file.length, 0);
  const storedBytes = gzipped.reduce((sum, file) => sum + file.length, 0);
  const plainRuns = [];
  const gzipRuns = [];
  for (let round = 0; round < rounds; round++) {
    plainRuns.push(figures(await migrate(dist, s3.env, plainPlan, 0)));
    gzipRuns.push(figures(await migrate(dist, s3.env, gzipPlan, 0)));
  }
  const seconds = (runs) => median(runs.map((run) => run.durationMs)) / 1000;
  return {
    files: files.length,
    textBytes,
    storedBytes,
    plainMegabytesPerSecond: textBytes / MB / seconds(plainRuns),
    gzipTextMegabytesPerSecond: textBytes / MB / seconds(gzipRuns),
    gzipStoredMegabytesPerSecond: storedBytes / MB / seconds(gzipRuns),
    plainMaxRssBytes: Math.max(...plainRuns.map((run) => run.maxRssBytes)),
    gzipMaxRssBytes: Math.max(...gzipRuns.map((run) => run.maxRssBytes)),
    rounds,
  };
}
