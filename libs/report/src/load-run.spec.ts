import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { loadRunReport, locateRun } from './load-run';
import { localRunFolder, s3RunFolder, type RunFolder } from './run-folder';
import { PLAN_ID, sampleResult, sampleRunObjects } from './sample-run.spec-helper';

const BUCKET = 'report-dst';
const signal = new AbortController().signal;
let server: LocalS3;
let store: ObjectStore;
let directory: string;

/** Writes a run under `prefix` both in S3 and in the local folder, so each backend reads the same. */
async function writeRun(prefix: string, objects: Map<string, string>): Promise<void> {
  for (const [name, text] of objects) {
    await store.put({ bucket: BUCKET, key: `${prefix}${name}` }, text);
    const path = join(directory, 'local', ...`${prefix}${name}`.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

const backends: Array<[string, (prefix: string) => RunFolder]> = [
  ['S3', (prefix) => s3RunFolder(store, { bucket: BUCKET, key: prefix }, signal)],
  ['a local folder', (prefix) => localRunFolder(join(directory, 'local', ...prefix.split('/').filter(Boolean)))],
];

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-report-'));
  server = await startLocalS3({ directory: join(directory, 's3'), buckets: [BUCKET] });
  store = new ObjectStore(createS3Client(server.env));
  await writeRun(`one/${PLAN_ID}/`, sampleRunObjects());
  const withoutTimings = sampleRunObjects();
  withoutTimings.delete('timings/shard-00001.json');
  await writeRun(`old/${PLAN_ID}/`, withoutTimings);
  await writeRun(`two/${PLAN_ID}/`, sampleRunObjects());
  await writeRun('two/other-run/', sampleRunObjects());
  const foreign = sampleRunObjects();
  foreign.set('shards/shard-00001.tsv', foreign.get('shards/shard-00001.tsv')?.replace(`"planId":"${PLAN_ID}"`, '"planId":"someone-else"') ?? '');
  await writeRun(`foreign/${PLAN_ID}/`, foreign);
  const broken = sampleRunObjects();
  broken.set('result.json', JSON.stringify({ ...sampleResult, words: [{ word: 'x', count: -1 }] }));
  await writeRun(`broken/${PLAN_ID}/`, broken);
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe.each(backends)('a run read from %s', (_backend, folderAt) => {
  it('is found from the destination folder when it is the only run there', async () => {
    const run = await locateRun(folderAt('one/'));
    expect(run.location.endsWith(`${PLAN_ID}/`)).toBe(true);
    expect((await locateRun(folderAt(`one/${PLAN_ID}/`))).location).toBe(run.location);
  });

  it('gives the result, the plan and every shard with its header and timing', async () => {
    const report = await loadRunReport(await locateRun(folderAt('one/')), signal);
    expect(report.result.words).toEqual(sampleResult.words);
    expect(report.plan?.source).toEqual({ bucket: 'corpus', key: 'books/' });
    expect(report.shards.map((shard) => shard.shardIndex)).toEqual([0, 1, 2]);
    expect(report.shards.map((shard) => shard.header?.stats.bytes)).toEqual([1_000_000, 1_000_000, 1_500_000]);
    expect(report.shards.map((shard) => shard.timing?.durationMs)).toEqual([1000, 1200, 6000]);
  });

  it('shows a shard without timing (a run from before timings) as such', async () => {
    const report = await loadRunReport(folderAt(`old/${PLAN_ID}/`), signal);
    expect(report.shards[1].header?.stats.files).toBe(2);
    expect(report.shards[1].timing).toBeUndefined();
  });

  it('asks which run when the folder holds several (exit 2)', async () => {
    const error = await failure(locateRun(folderAt('two/')));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/several runs in .*two.* \(books-0123456789ab, other-run\): name one/);
  });

  it('says merge has not run when there is no result.json (exit 3)', async () => {
    const error = await failure(locateRun(folderAt('nothing/')));
    expect(error.exitCode).toBe(ExitCode.InputChanged);
    expect(error.message).toMatch(/no result\.json in .*nothing.* or its sub-folders: run merge first/);
  });

  it('refuses a shard result of another plan, naming it (exit 2)', async () => {
    const error = await failure(loadRunReport(folderAt(`foreign/${PLAN_ID}/`), signal));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/shards\/shard-00001\.tsv belongs to plan someone-else shard 1, not plan books-0123456789ab shard 1$/);
  });

  it('refuses an unreadable result.json, naming the field (exit 2)', async () => {
    const error = await failure(loadRunReport(folderAt(`broken/${PLAN_ID}/`), signal));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/result\.json: field "words\.0\.count"/);
  });
});
