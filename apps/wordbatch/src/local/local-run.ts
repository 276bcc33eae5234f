import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { forEachConcurrent } from '@wordbatch/concurrency';
import { type Logger } from '@wordbatch/cli';
import { CommandLineError } from '@wordbatch/errors';
import { startLocalS3, type ObjectRead } from '@wordbatch/local-s3';
import { describePipeline } from '@wordbatch/pipeline';
import { s3RunFolder, writeRunReport } from '@wordbatch/report';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { runLocally, type ProgressEvent, type StageLauncher } from './local-executor';
import type { LocalOptions } from './local-options';

export const SOURCE_BUCKET = 'wordbatch-source';
export const RESULTS_BUCKET = 'wordbatch-results';
const RESULTS_PREFIX = 'out/';
const UPLOAD_CONCURRENCY = 16;
/** Where merge writes result.json in the embedded server, as its notes name it. */
const RESULT_IN_SERVER = new RegExp(`s3://${RESULTS_BUCKET}/${RESULTS_PREFIX}[^/\\s]+/result\\.json`, 'g');

export interface LocalRunDeps {
  readonly launcher: StageLauncher;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Progress for a person at a terminal; absent when nobody watches. */
  readonly progress?: (text: string) => void;
  /** A line a stage printed for a person (merge's skipped objects, invalid encodings), to show as it is. */
  readonly note: (line: string) => void;
  /** This process's id (names its run folder), and whether another process still runs. */
  readonly pid: number;
  readonly isRunning: (pid: number) => boolean;
}

export interface LocalRunResult {
  readonly output: string;
  readonly files: number;
  /** This run's folder under --data-dir: the embedded server's data and the stage logs. */
  readonly runDir: string;
  /** Where result.json (and per-file results under files/) were copied. */
  readonly resultsDir: string;
  /** The HTML report of the run (`wordbatch report`), in the results folder. */
  readonly report: string;
}

/** The report's file name in the results folder; the next run into the same folder overwrites it. */
export const REPORT_FILE = 'report.html';

/**
 * Runs the pipeline on a local folder: starts the embedded S3 server, uploads the folder to
 * a source bucket, then runs plan, the migrate children and merge exactly as on AWS Batch,
 * and copies the results out of the server, which is gone when the run ends.
 */
export async function runLocalPipeline(options: LocalOptions, deps: LocalRunDeps): Promise<LocalRunResult> {
  // Described (and so checked by each stage's own parser) before anything is started or uploaded.
  const run = describePipeline({
    ...options.stageFlags,
    source: { bucket: SOURCE_BUCKET, key: '' },
    destination: { bucket: RESULTS_BUCKET, key: RESULTS_PREFIX },
    shards: options.shards,
    name: 'local',
  });
  const runDir = join(options.dataDir, `run-${deps.pid}`);
  const resultsDir = options.out ?? join(runDir, 'results');
  // Our own folders are never input, should they lie inside the folder counted.
  const files = await listFiles(options.folder, [options.dataDir, resultsDir]);
  await removeFinishedRuns(options.dataDir, deps);
  const s3Dir = join(runDir, 's3');
  const logDir = join(runDir, 'logs');
  await rm(runDir, { recursive: true, force: true });
  // Every upload in flight (UPLOAD_CONCURRENCY of them) and every stage copy running (--parallel)
  // listens to this one signal, each request twice (the SDK's retry loop and its HTTP handler):
  // past Node's default of 10 listeners that is expected, not a leak, and must not print
  // a MaxListenersExceededWarning on every run.
  setMaxListeners(2 * Math.max(UPLOAD_CONCURRENCY, options.parallel) + 10, deps.signal);
  const progress = deps.progress === undefined ? undefined : readingProgress(deps.progress, files.length);
  const server = await startLocalS3({ directory: s3Dir, buckets: [SOURCE_BUCKET, RESULTS_BUCKET], onObjectRead: progress?.read });
  const store = new ObjectStore(createS3Client(server.env));
  try {
    let uploaded = 0;
    await forEachConcurrent(
      files,
      UPLOAD_CONCURRENCY,
      async (file) => {
        const key = relative(options.folder, file).split(sep).join('/');
        await store.putFile({ bucket: SOURCE_BUCKET, key }, file, { signal: deps.signal });
        uploaded++;
        if (uploaded % 500 === 0 || uploaded === files.length) deps.progress?.(`upload ${uploaded}/${files.length} files`);
      },
      deps.signal,
    );
    deps.logger.info({ files: files.length, folder: options.folder, endpoint: server.endpoint }, 'Local:Uploaded');
    if (files.length === 0) deps.logger.warn({ folder: options.folder }, 'Local:EmptyFolder');

    const output = await runLocally(run, {
      launcher: deps.launcher,
      env: server.env,
      parallel: options.parallel,
      logDir,
      signal: deps.signal,
      onProgress: (event: ProgressEvent) => progress?.stage(event),
      // merge names result.json in the embedded server, which is gone when the run ends: the user opens the copy.
      onNote: (line) => deps.note(line.replace(RESULT_IN_SERVER, join(resultsDir, 'result.json'))),
    });
    await copyResults(store, resultsDir, deps.signal);
    // Written while the embedded server still runs: the report reads the shard headers and timings from it.
    const results = s3RunFolder(store, { bucket: RESULTS_BUCKET, key: RESULTS_PREFIX }, deps.signal);
    const report = await writeRunReport(results, () => join(resultsDir, REPORT_FILE), deps.signal);
    return { output, files: files.length, runDir, resultsDir, report: report.path };
  } finally {
    store.destroy();
    await server.close();
  }
}

/** Redraws of the progress line while objects are read, at most this often. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * The terminal's progress line: the stage and its children done, and (from the embedded server,
 * which sees every GET the migrate children send) the source objects read so far and their bytes,
 * so a long shard shows work as it happens, not only when a child finishes.
 */
function readingProgress(show: (text: string) => void, files: number) {
  const objectsRead = new Set<string>();
  let bytesRead = 0;
  let stageText = '';
  let lastDrawn = 0;
  const draw = () => {
    lastDrawn = Date.now();
    show(`${stageText} | ${objectsRead.size}/${files} objects read, ${(bytesRead / 1e6).toFixed(1)} MB`);
  };
  return {
    stage(event: ProgressEvent) {
      stageText = `${event.stage} ${event.done}/${event.total}`;
      draw();
    },
    read(read: ObjectRead) {
      if (read.bucket !== SOURCE_BUCKET) return;
      objectsRead.add(read.rawKey);
      bytesRead += read.bytes;
      if (Date.now() - lastDrawn >= PROGRESS_INTERVAL_MS) draw();
    },
  };
}

/**
 * Empties the run folders of runs that have ended (their process is gone), leaving those of
 * runs still going: two local runs at once each have their own folder and server.
 */
async function removeFinishedRuns(dataDir: string, deps: LocalRunDeps): Promise<void> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const pid = /^run-(\d+)$/.exec(entry.name)?.[1];
    if (entry.isDirectory() && pid !== undefined && Number(pid) !== deps.pid && !deps.isRunning(Number(pid))) {
      await rm(join(dataDir, entry.name), { recursive: true, force: true });
    }
  }
}

/** result.json and the per-file results (files/…), from the results bucket to a folder the user can open. */
async function copyResults(store: ObjectStore, resultsDir: string, signal: AbortSignal): Promise<void> {
  await rm(join(resultsDir, 'files'), { recursive: true, force: true });
  await mkdir(resultsDir, { recursive: true });
  for await (const object of store.list({ bucket: RESULTS_BUCKET, key: RESULTS_PREFIX }, signal)) {
    // out/<plan id>/result.json and out/<plan id>/files/<name>; one plan per local run.
    const [, , kind, ...rest] = object.key.split('/');
    const target = kind === 'result.json' && rest.length === 0 ? join(resultsDir, 'result.json') : kind === 'files' ? join(resultsDir, 'files', ...rest) : undefined;
    if (target === undefined) continue;
    await mkdir(dirname(target), { recursive: true });
    const opened = await store.open({ bucket: RESULTS_BUCKET, key: object.key }, { signal });
    await pipeline(opened.body, createWriteStream(target), { signal });
  }
}

async function listFiles(folder: string, ownFolders: readonly string[]): Promise<string[]> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new CommandLineError(`FOLDER ${folder} is not a directory`);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const isOwn = (file: string) => ownFolders.some((own) => file === own || file.startsWith(`${own}${sep}`));
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => !isOwn(file))
    .sort();
}
