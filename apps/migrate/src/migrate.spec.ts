import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@wordbatch/cli';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { formatIndexMap, parseShardTiming } from '@wordbatch/plan-schema';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { runMigrate } from './migrate';
import { DEFAULT_PART_BYTES, DEFAULT_PARTS_IN_FLIGHT, DEFAULT_SPLIT_ABOVE_BYTES, type MigrateOptions } from '@wordbatch/stage-commands';

const SOURCE = 'migrate-src';
const RESULTS = 'migrate-dst';
const PLAN_ID = 'p-index-map';
const plan = { bucket: RESULTS, key: 'plans/books.json' };
const documents = ['alpha beta', 'gamma gamma', 'delta'];

let server: LocalS3;
let store: ObjectStore;
let directory: string;
const events: Array<Record<string, unknown>> = [];

const logger = createLogger({
  stage: 'migrate',
  env: {},
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      events.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  }),
});

/** A three-shard plan, one document per shard, written the way plan writes it. */
async function writePlan(): Promise<void> {
  const header = {
    version: 1,
    kind: 'wordbatch-plan',
    id: PLAN_ID,
    createdAt: '2025-01-01T00:00:00.000Z',
    source: `s3://${SOURCE}/docs/`,
    destination: `s3://${RESULTS}/out/`,
    shardLists: `s3://${RESULTS}/plans/books/`,
    settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
    shardCount: documents.length,
    totals: { files: documents.length, bytes: documents.join('').length },
  };
  for (const [shardIndex, text] of documents.entries()) {
    const name = `doc-${shardIndex}.txt`;
    await store.put({ bucket: SOURCE, key: `docs/${name}` }, text);
    const etag = createHash('md5').update(text).digest('hex');
    const list = { version: 1, kind: 'wordbatch-shard-list', planId: PLAN_ID, shardIndex, bytes: text.length, items: [{ name, size: text.length, etag }] };
    await store.put({ bucket: RESULTS, key: `plans/books/shard-${String(shardIndex).padStart(5, '0')}.json` }, JSON.stringify(list));
  }
  await store.put(plan, JSON.stringify(header));
}

function mapAt(name: string) {
  return { bucket: RESULTS, key: `out/${PLAN_ID}/retries/${name}` };
}

function options(overrides: Partial<MigrateOptions>): MigrateOptions {
  return {
    plan,
    concurrency: 2,
    splitAboveBytes: DEFAULT_SPLIT_ABOVE_BYTES,
    partBytes: DEFAULT_PART_BYTES,
    partsInFlight: DEFAULT_PARTS_IN_FLIGHT,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-migrate-'));
  server = await startLocalS3({ directory, buckets: [SOURCE, RESULTS] });
  store = new ObjectStore(createS3Client(server.env));
  await writePlan();
  await store.put(mapAt('retry-1.json'), formatIndexMap([2, 0]));
  await store.put(mapAt('retry-2.json'), formatIndexMap([1]));
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

const deps = () => ({ store, logger, signal: new AbortController().signal });

describe('migrate', () => {
  it('writes the shard timing beside its result, for the report', async () => {
    const before = Date.now();
    const summary = await runMigrate(options({ index: { value: 1, from: '--index' } }), deps());
    const timing = parseShardTiming(await store.readText({ bucket: RESULTS, key: `out/${PLAN_ID}/timings/shard-00001.json` }));
    expect(timing).toMatchObject({ planId: PLAN_ID, shardIndex: 1, countingThreads: 0 });
    expect(Date.parse(timing.startedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(timing.durationMs).toBeGreaterThanOrEqual(0);
    expect(timing.durationMs).toBe(summary.durationMs);
  });
});

describe('migrate --index-map', () => {
  it('counts the shard in the entry its array index picks', async () => {
    const summary = await runMigrate(
      options({ indexMap: mapAt('retry-1.json'), index: { value: 0, from: 'AWS_BATCH_JOB_ARRAY_INDEX' } }),
      deps(),
    );
    expect(summary.shardIndex).toBe(2);
    expect(summary.result).toBe(`s3://${RESULTS}/out/${PLAN_ID}/shards/shard-00002.tsv`);
    expect(summary.stats.words).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ event: 'Migrate:IndexMapped', entry: 0, shardIndex: 2 }));
    const second = await runMigrate(options({ indexMap: mapAt('retry-1.json'), index: { value: 1, from: '--index' } }), deps());
    expect(second.shardIndex).toBe(0);
  });

  it('lets a one-entry map run as a plain job, without an index', async () => {
    const summary = await runMigrate(options({ indexMap: mapAt('retry-2.json') }), deps());
    expect(summary.shardIndex).toBe(1);
    expect(summary.stats.words).toBe(2);
  });

  it('refuses an index past the end of the map, naming where the index came from', async () => {
    const error = await failure(
      runMigrate(options({ indexMap: mapAt('retry-1.json'), index: { value: 2, from: 'AWS_BATCH_JOB_ARRAY_INDEX' } }), deps()),
    );
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/AWS_BATCH_JOB_ARRAY_INDEX is 2 but --index-map s3:\/\/.*retry-1.json has 2 entries \(0-1\)/);
  });

  it('refuses a map of several entries without an index', async () => {
    const error = await failure(runMigrate(options({ indexMap: mapAt('retry-1.json') }), deps()));
    expect(error.message).toMatch(/no index into --index-map .* \(2 entries\)/);
  });

  it('refuses a map naming a shard the plan does not have', async () => {
    await store.put(mapAt('retry-3.json'), formatIndexMap([0, 7]));
    const error = await failure(runMigrate(options({ indexMap: mapAt('retry-3.json'), index: { value: 0, from: '--index' } }), deps()));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/entry 1 is shard 7 but plan p-index-map has 3 shards \(0-2\)/);
  });

  it('refuses a map that is not a list of shard indices', async () => {
    await store.put(mapAt('retry-4.json'), '{"shards": [1]}');
    const error = await failure(runMigrate(options({ indexMap: mapAt('retry-4.json'), index: { value: 0, from: '--index' } }), deps()));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/--index-map s3:\/\/.*retry-4.json: expected an array of shard indices/);
  });

  it('refuses a map outside the plan results folder', async () => {
    const elsewhere = { bucket: RESULTS, key: 'plans/retry-1.json' };
    await store.put(elsewhere, formatIndexMap([0]));
    const error = await failure(runMigrate(options({ indexMap: elsewhere }), deps()));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/is not under the results folder of plan p-index-map \(s3:\/\/migrate-dst\/out\/p-index-map\/\)/);
  });

  it('reports a missing map as missing input', async () => {
    const error = await failure(runMigrate(options({ indexMap: mapAt('retry-9.json') }), deps()));
    expect(error.exitCode).toBe(ExitCode.InputChanged);
  });
});
