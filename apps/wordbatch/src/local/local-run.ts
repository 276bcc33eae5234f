import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { forEachConcurrent, type Logger } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import { startLocalS3 } from '@wordbatch/local-s3';
import { describePipeline } from '@wordbatch/pipeline';
import { s3RunFolder, writeRunReport } from '@wordbatch/report';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { runLocally, type ProgressEvent, type StageLauncher } from './local-executor';
import type { LocalOptions } from './local-options';

export const SOURCE_BUCKET = 'wordbatch-source';
export const RESULTS_BUCKET = 'wordbatch-results';
const RESULTS_PREFIX = 'out/';
const UPLOAD_CONCURRENCY = 16;

export interface LocalRunDeps {
  readonly launcher: StageLauncher;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Progress for a person at a terminal; absent when nobody watches. */
  readonly progress?: (text: string) => void;
}

export interface LocalRunResult {
  readonly output: string;
  readonly files: number;
  readonly dataDir: string;
  /** The HTML report of the run (`wordbatch report`), written while the embedded server still runs. */
  readonly report: string;
}

/** The report's file name in the data folder; the next run overwrites it. */
export const REPORT_FILE = 'report.html';

/**
 * Runs the pipeline on a local folder: starts the embedded S3 server, uploads the folder to
 * a source bucket, then runs plan, the migrate children and merge exactly as on AWS Batch.
 */
export async function runLocalPipeline(options: LocalOptions, deps: LocalRunDeps): Promise<LocalRunResult> {
  const files = await listFiles(options.folder);
  const s3Dir = join(options.dataDir, 's3');
  const logDir = join(options.dataDir, 'logs');
  // Only the folders this command creates are emptied: --data-dir may point anywhere.
  await Promise.all([rm(s3Dir, { recursive: true, force: true }), rm(logDir, { recursive: true, force: true })]);
  const server = await startLocalS3({ directory: s3Dir, buckets: [SOURCE_BUCKET, RESULTS_BUCKET] });
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
        if (uploaded % 500 === 0 || uploaded === files.length) deps.progress?.(`upload ${uploaded}/${files.length}`);
      },
      deps.signal,
    );
    deps.logger.info({ files: files.length, folder: options.folder, endpoint: server.endpoint }, 'Local:Uploaded');

    const run = describePipeline({
      source: `s3://${SOURCE_BUCKET}/`,
      destination: `s3://${RESULTS_BUCKET}/${RESULTS_PREFIX}`,
      shards: options.shards,
      name: 'local',
      tokenizer: options.tokenizer,
      perFile: options.perFile,
      include: options.include,
      exclude: options.exclude,
      mergeArgs: options.mergeArgs,
    });
    const output = await runLocally(run, {
      launcher: deps.launcher,
      env: server.env,
      parallel: options.parallel,
      logDir,
      signal: deps.signal,
      onProgress: (event: ProgressEvent) => deps.progress?.(`${event.stage} ${event.done}/${event.total}`),
    });
    const results = s3RunFolder(store, { bucket: RESULTS_BUCKET, key: RESULTS_PREFIX }, deps.signal);
    const report = await writeRunReport(results, () => join(options.dataDir, REPORT_FILE), deps.signal);
    return { output, files: files.length, dataDir: options.dataDir, report: report.path };
  } finally {
    store.destroy();
    await server.close();
  }
}

async function listFiles(folder: string): Promise<string[]> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`FOLDER ${folder} is not a directory`);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}
