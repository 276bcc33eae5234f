import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { encodeInventoryKey, formatInventoryReport, type InventoryRow } from '@wordbatch/plan-inputs';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { putObjects, startTestS3, type StageRun, type TestS3 } from '../harness';
import { referenceCounts } from '../reference-count';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from './fault-proxy';
import { CONTROL_KEYS, LONG_KEY, RESERVED_KEY } from './odd-keys';
import { fingerprint, MERGE_EVERYTHING, runStage, writeFigures } from './runs';

/**
 * Inputs other than a prefix, end to end: an S3 Inventory report and each key-list format,
 * planned, counted and merged by the bundled stages against an embedded S3 server (s3rver)
 * behind the loopback proxy of fault-proxy.ts, and compared with the prefix run over the
 * same objects, odd keys included.
 *
 * s3rver keeps no versions (it answers every version id with the current object), so the
 * proxy stands in for a versioned bucket: a GET or HEAD of a source object must name the
 * version the inventory or list gave it, or it is answered 404 NoSuchVersion as S3 would.
 * A run that counts every object therefore proves each read asked for its version.
 */

const SRC = 'inputs-source';
const DST = 'inputs-results';
const INV = 'inputs-inventory';
const SHARDS = 2;

const TEXTS = ['alpha beta gamma', 'beta gamma delta delta', 'Straße straße café', 'one two three two one'];
/** Text objects under odd/: plain keys and every odd key the listing path is proven with. */
const OBJECTS: Array<[string, string]> = [
  ...TEXTS.map((text, index): [string, string] => [`odd/plain-${index}.txt`, text]),
  [LONG_KEY, 'long key words'],
  ...CONTROL_KEYS.map((key, index): [string, string] => [key, `control ${index} words`]),
  [RESERVED_KEY, 'reserved characters words'],
  ['odd/sub dir/a+b%2B.txt', 'plus and percent words'],
];
/** The version id each object is named with (ids as S3 makes them may hold + and .; these must be escaped). */
const VERSION_IDS = new Map(OBJECTS.map(([key], index) => [key, `v${index}.3HL4kq+tJ/lcpX_${index}`]));
const LF_KEY = CONTROL_KEYS.find((key) => key.includes('\n')) as string;

interface MergeJson {
  words: Array<{ word: string; count: number }>;
  skipped: Array<{ name: string; reason: string }>;
  totals: { files: number; bytes: number; words: number };
}

let s3: TestS3;
let proxy: FaultProxy;
let env: Record<string, string>;
let viaProxy: ObjectStore;
let sourceBefore: string[];
const figures = { runs: 0, objects: OBJECTS.length, versionedGets: 0, headLookups: 0, mismatches: 0 };

/** The versions the proxy holds each source key to while a run that names versions is going on. */
let enforcedVersions: Map<string, string> | undefined;

function versionOf(request: ProxiedRequest): string | null {
  return new URL(request.rawPath, 'http://proxy.invalid').searchParams.get('versionId');
}

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST, INV]);
  proxy = await startFaultProxy(s3.server.endpoint);
  proxy.setRules({
    answerWith: (request) => {
      if (enforcedVersions === undefined || request.bucket !== SRC || (request.operation !== 'GetObject' && request.operation !== 'HeadObject')) return undefined;
      const expected = enforcedVersions.get(request.key);
      if (expected !== undefined && versionOf(request) === expected) return undefined;
      return { status: 404, code: 'NoSuchVersion', message: 'The specified version does not exist.' };
    },
  });
  env = { ...s3.server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
  viaProxy = new ObjectStore(createS3Client(env));
  await putObjects(s3.store, SRC, OBJECTS);
  sourceBefore = await fingerprint(viaProxy, SRC);
});

afterAll(async () => {
  writeFigures('inputs', figures);
  viaProxy.destroy();
  await proxy.close();
  await s3.stop();
});

interface Runs {
  readonly plan: StageRun;
  readonly migrate: StageRun[];
  readonly merge: StageRun;
  readonly result: MergeJson;
}

/** plan with `inputFlags`, every migrate child, merge; every stage must succeed. */
async function runWith(name: string, inputFlags: string[], planFlags: string[] = []): Promise<Runs> {
  figures.runs++;
  const destination = `s3://${DST}/out-${name}/`;
  const plan = `s3://${DST}/plans/${name}.json`;
  const planRun = await runStage('plan', [...inputFlags, '--destination', destination, '--plan', plan, '--shards', String(SHARDS), ...planFlags], env);
  expect({ code: planRun.code, error: planRun.errorLine }).toEqual({ code: 0, error: undefined });
  const migrate = await Promise.all(Array.from({ length: SHARDS }, (_, index) => runStage('migrate', ['--plan', plan, '--index', String(index)], env)));
  expect(migrate.map((run) => run.code)).toEqual(Array(SHARDS).fill(0));
  const merge = await runStage('merge', ['--source', destination, ...MERGE_EVERYTHING], env);
  expect(merge.code).toBe(0);
  return { plan: planRun, migrate, merge, result: JSON.parse(merge.stdout) as MergeJson };
}

function expectSameCounts(actual: MergeJson, expected: MergeJson): void {
  try {
    expect({ words: actual.words, files: actual.totals.files, bytes: actual.totals.bytes }).toEqual({
      words: expected.words,
      files: expected.totals.files,
      bytes: expected.totals.bytes,
    });
  } catch (error) {
    figures.mismatches++;
    throw error;
  }
}

/** Counted exactly as the reference tokenizer counts these objects' texts (prefix runs are checked against it in odd-objects). */
function expectCounts(actual: MergeJson, objects: ReadonlyArray<readonly [string, string]>): void {
  try {
    expect(new Map(actual.words.map(({ word, count }) => [word, count]))).toEqual(referenceCounts(objects.map(([, text]) => text)));
    expect(actual.totals.files).toBe(objects.length);
  } catch (error) {
    figures.mismatches++;
    throw error;
  }
}

async function putInput(key: string, body: string | Buffer): Promise<string> {
  await s3.store.put({ bucket: INV, key }, body);
  return `s3://${INV}/${key}`;
}

const sourceGets = (since: number) => proxy.log.slice(since).filter((request) => request.bucket === SRC && request.operation === 'GetObject');
const sourceHeads = (since: number) => proxy.log.slice(since).filter((request) => request.bucket === SRC && request.operation === 'HeadObject');
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

describe('inputs other than a prefix, counted as the prefix run counts the same objects', () => {
  let prefixRun: MergeJson;

  beforeAll(async () => {
    prefixRun = (await runWith('prefix', ['--source', `s3://${SRC}/odd/`])).result;
    expect(prefixRun.totals.files).toBe(OBJECTS.length);
  });

  afterEach(() => {
    enforcedVersions = undefined;
  });

  it('an S3 Inventory report (gzip\u2019d CSV, URL-encoded keys, version ids): each GET names its version, no lookups', async () => {
    const rows: InventoryRow[] = [
      ...OBJECTS.map(([key, body]) => ({ key, size: Buffer.byteLength(body), etag: md5(body), versionId: VERSION_IDS.get(key) })),
      // What a report of all versions also holds, and is not counted: an older version and a delete marker.
      { key: 'odd/plain-0.txt', size: 3, etag: md5('old'), versionId: 'older', isLatest: false },
      { key: 'odd/deleted.txt', size: 0, etag: '', versionId: 'marker', isLatest: true, isDeleteMarker: true },
    ];
    const report = formatInventoryReport({ sourceBucket: SRC, destinationBucket: INV, prefix: 'inventory/', rows, rowsPerFile: 4, versioned: true });
    for (const file of report.files) await s3.store.put({ bucket: INV, key: file.key }, file.body);
    const manifest = await putInput(report.manifestKey, report.manifest);
    expect(report.files.length).toBeGreaterThan(1);

    enforcedVersions = VERSION_IDS;
    const since = proxy.log.length;
    const runs = await runWith('manifest', ['--manifest', manifest]);
    expectSameCounts(runs.result, prefixRun);
    const gets = sourceGets(since);
    figures.versionedGets += gets.length;
    expect(new Map(gets.map((request) => [request.key, versionOf(request)]))).toEqual(VERSION_IDS);
    expect(gets.every((request) => request.status === 200 || request.outcome === 'forwarded')).toBe(true);
    expect(sourceHeads(since)).toHaveLength(0);
  });

  it('a Batch Operations CSV list (URL-encoded keys, version ids): looked up with HeadObject of that version', async () => {
    const lines = OBJECTS.map(([key]) => [SRC, encodeInventoryKey(key), VERSION_IDS.get(key) as string].map(csvField).join(','));
    const list = await putInput('lists/objects.csv', `${lines.join('\r\n')}\r\n`);
    enforcedVersions = VERSION_IDS;
    const since = proxy.log.length;
    const runs = await runWith('csv', ['--keys', list]);
    expectSameCounts(runs.result, prefixRun);
    const heads = sourceHeads(since);
    figures.headLookups += heads.length;
    expect(new Map(heads.map((request) => [request.key, versionOf(request)]))).toEqual(VERSION_IDS);
    expect(new Set(sourceGets(since).map(versionOf))).toEqual(new Set(VERSION_IDS.values()));
  });

  it('a gzip\u2019d JSONL list, keys as they are', async () => {
    const list = await putInput('lists/objects.jsonl.gz', gzipSync(OBJECTS.map(([key]) => JSON.stringify({ bucket: SRC, key })).join('\n')));
    expectSameCounts((await runWith('jsonl', ['--keys', list])).result, prefixRun);
  });

  it('a .txt list of keys relative to --source (a key with a line feed cannot be a line), with --exclude on both sides', async () => {
    const lines = OBJECTS.filter(([key]) => key !== LF_KEY).map(([key]) => key.slice('odd/'.length));
    const list = await putInput('lists/objects.txt', `${lines.join('\n')}\n`);
    const fromList = await runWith('txt', ['--keys', list, '--source', `s3://${SRC}/odd/`], ['--exclude', 'plain-3*']);
    expectCounts(fromList.result, OBJECTS.filter(([key]) => key !== LF_KEY && key !== 'odd/plain-3.txt'));
  });

  it('include patterns match the whole key for an inventory', async () => {
    const rows = OBJECTS.map(([key, body]) => ({ key, size: Buffer.byteLength(body), etag: md5(body) }));
    const report = formatInventoryReport({ sourceBucket: SRC, destinationBucket: INV, prefix: 'unversioned/', rows });
    for (const file of report.files) await s3.store.put({ bucket: INV, key: file.key }, file.body);
    const manifest = await putInput(report.manifestKey, report.manifest);
    const fromManifest = await runWith('manifest-include', ['--manifest', manifest], ['--include', 'odd/plain-*']);
    expectCounts(fromManifest.result, OBJECTS.filter(([key]) => key.startsWith('odd/plain-')));
  });
});

describe('objects a list names that do not exist', () => {
  const GONE = ['odd/gone 1.txt', 'odd/gone+2.txt'];
  let list: string;

  beforeAll(async () => {
    const lines = [...OBJECTS.map(([key]) => key), ...GONE].map((key) => `${SRC},${encodeInventoryKey(key)}`);
    list = await putInput('lists/with-gaps.csv', lines.join('\n'));
  });

  it('fail the plan with exit 3 naming them, and nothing is written', async () => {
    const plan = `s3://${DST}/plans/gaps.json`;
    const run = await runStage('plan', ['--keys', list, '--destination', `s3://${DST}/out-gaps/`, '--plan', plan], env);
    expect(run.code).toBe(3);
    expect(run.errorLine).toBe(
      `wordbatch plan: error: --keys ${list} names 2 object(s) that do not exist: "s3://${SRC}/odd/gone 1.txt", "s3://${SRC}/odd/gone+2.txt"; fix the list, or plan with --allow-missing to list them as skipped`,
    );
    expect(await viaProxy.head({ bucket: DST, key: 'plans/gaps.json' })).toBeUndefined();
  });

  it('are listed as skipped in result.json with --allow-missing, and the rest counted', async () => {
    const runs = await runWith('gaps', ['--keys', list], ['--allow-missing']);
    expect(runs.plan.stdout).toContain(`files        ${OBJECTS.length} (2 missing, listed as skipped)`);
    expectCounts(runs.result, OBJECTS);
    const detail = 'named by the input, not found when planned';
    expect(runs.result.skipped).toEqual(GONE.map((key) => ({ name: key.slice('odd/'.length), reason: 'missing', detail })));
    const result = JSON.parse(await viaProxy.readText({ bucket: DST, key: `${await resultsKey('gaps')}result.json` })) as MergeJson;
    expect(result.skipped).toEqual(runs.result.skipped);
  });

  it('leave the source untouched', async () => {
    expect(await fingerprint(viaProxy, SRC)).toEqual(sourceBefore);
  });
});

/** The results folder of the plan named `name` (out-NAME/<plan id>/). */
async function resultsKey(name: string): Promise<string> {
  const header = JSON.parse(await viaProxy.readText({ bucket: DST, key: `plans/${name}.json` })) as { id: string };
  return `out-${name}/${header.id}/`;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
