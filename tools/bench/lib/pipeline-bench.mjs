// Many small files end to end: the local pipeline (`wordbatch local`) against the embedded
// S3 server's own GET rate for the same objects, and the seed's one-process-per-file design.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { smallPieces } from './corpus.mjs';
import { logLines, median, runMeasured } from './measure.mjs';
import { plainGetRate, startS3Process } from './s3.mjs';
import { bundlePath } from './stages.mjs';

const LOCAL_SOURCE_BUCKET = 'wordbatch-source';
const LOCAL_RESULTS_BUCKET = 'wordbatch-results';

/** `count` files of about `bytes` each under `folder`, 1,000 to a sub-folder. */
export function writeSmallFiles(folder, corpus, count, bytes) {
  rmSync(folder, { recursive: true, force: true });
  smallPieces(corpus, count, bytes).forEach((body, index) => {
    const directory = join(folder, `d${String(Math.floor(index / 1000)).padStart(3, '0')}`);
    if (index % 1000 === 0) mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `f${String(index).padStart(6, '0')}.txt`), body);
  });
}

/**
 * `wordbatch local FOLDER`: upload, then plan, migrate children, merge, each a process, as
 * `npm start` runs it. Timed from its own log: from Local:Uploaded to Local:Done, i.e. the
 * pipeline without the upload, which only stands in for data already being in S3.
 */
export async function localPipeline(dist, folder, dataDir, files) {
  const run = await runMeasured(process.execPath, ['--openssl-legacy-provider', bundlePath(dist, 'wordbatch'), 'local', folder, '--data-dir', dataDir], {
    env: { PATH: process.env.PATH ?? '' },
  });
  if (run.code !== 0) throw new Error(`wordbatch local exited ${run.code}:\n${run.stderr.slice(-3000)}`);
  const logs = logLines(run.stderr);
  const eventOf = (event) => logs.find((line) => line.event === event);
  const seconds = (Date.parse(eventOf('Local:Done')?.time) - Date.parse(eventOf('Local:Uploaded')?.time)) / 1000;
  if (!(seconds > 0)) throw new Error(`wordbatch local: no Local:Uploaded/Local:Done times in\n${run.stderr.slice(-2000)}`);
  // Each run keeps its own folder under the data folder; Local:Done names it.
  const runDir = eventOf('Local:Done').logs;
  return { files, seconds, objectsPerSecond: files / seconds, migrateChildren: availableParallelism(), stages: stageSeconds(join(runDir, 'logs')), runDir };
}

/** How long each stage of the local run took, by its own log (durationMs of its last event). */
function stageSeconds(logDir) {
  const seconds = {};
  for (const name of readdirSync(logDir)) {
    const events = logLines(readFileSync(join(logDir, name), 'utf8')).filter((line) => typeof line.durationMs === 'number');
    if (events.length > 0) seconds[name.replace(/\.log$/, '')] = events.at(-1).durationMs / 1000;
  }
  return seconds;
}

/** The objects the local run uploaded, served again from its run folder (which it keeps). */
export async function serveLocalRunData(runDir) {
  const s3 = await startS3Process(join(runDir, 's3'), [LOCAL_SOURCE_BUCKET, LOCAL_RESULTS_BUCKET]);
  const keys = [];
  for await (const object of s3.store.list({ bucket: LOCAL_SOURCE_BUCKET, key: '' })) keys.push(object.key);
  return { s3, keys };
}

/** The server's own rate: plain concurrent GETs of every object, `rounds` times; the median round. */
export async function rawGetRate(s3, keys, rounds) {
  const rates = [];
  for (let round = 0; round < rounds; round++) rates.push(await plainGetRate(s3.endpoint, LOCAL_SOURCE_BUCKET, keys));
  return { objects: keys.length, objectsPerSecond: median(rates) };
}

/**
 * Fetching alone, as the local run's migrate children fetch: `processes` processes (one per
 * migrate child), each GETting its share of the keys through the workspace's S3 client with
 * 16 in flight and counting nothing. Timed from the first start to the last exit.
 */
export async function sdkFetchRate(fetchProgram, s3, keys, processes) {
  const env = { PATH: process.env.PATH ?? '', ...s3.env };
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: processes }, (_, index) => {
      const share = keys.filter((_, keyIndex) => keyIndex % processes === index);
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [fetchProgram, LOCAL_SOURCE_BUCKET, '16'], { env, stdio: ['pipe', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fetch-only exited ${code}`))));
        child.stdin.end(share.join('\n'));
      });
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { objects: keys.length, processes, objectsPerSecond: keys.length / seconds };
}

/** The seed's design: one process per object (start, GET, count, PUT), `parallel` at once. */
export async function processPerFile(perFileProgram, s3, keys, parallel) {
  const env = { PATH: process.env.PATH ?? '', ...s3.env };
  const runOne = (key) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [perFileProgram, LOCAL_SOURCE_BUCKET, key, LOCAL_RESULTS_BUCKET], { env, stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`per-file ${key} exited ${code}`))));
    });
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < keys.length) await runOne(keys[next++]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { objects: keys.length, objectsPerSecond: keys.length / seconds };
}
