import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { encodeInventoryKey, formatInventoryReport } from './inventory-report';
import { gatherNamedObjects, type GatherOptions, type NamedInput } from './named-objects';

const SRC = 'inputs-src';
const LISTS = 'inputs-lists';
let server: LocalS3;
let store: ObjectStore;
let directory: string;

/** Keys a listing handles (odd-objects.e2e): spaces, plus signs, percent signs, control characters, non-ASCII. */
const OBJECTS: Array<[string, string]> = [
  ['data/plain.txt', 'plain words'],
  ['data/a b+c%2B.txt', 'space plus percent'],
  ['data/sub/caf\u00e9 \u{1f600}.txt', 'unicode key'],
  ['data/sub/ctl\u0001\t\r\n.txt', 'control characters'],
  ["data/!#$&'()*,;=:@[]?.log", 'reserved characters'],
];
/** A single PUT's ETag is the MD5 of its body (s3rver's listings cannot be trusted with a CR in a key). */
const etags = new Map(OBJECTS.map(([key, body]) => [key, createHash('md5').update(body).digest('hex')]));

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-inputs-'));
  server = await startLocalS3({ directory, buckets: [SRC, LISTS] });
  store = new ObjectStore(createS3Client(server.env));
  for (const [key, body] of OBJECTS) await store.put({ bucket: SRC, key }, body);
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

const options = (extra: Partial<GatherOptions> = {}): GatherOptions => ({ store, keep: () => true, ...extra });
const keysInput = (key: string, source?: string): NamedInput => ({ kind: 'keys', list: { bucket: LISTS, key }, source: source === undefined ? undefined : { bucket: SRC, key: source } });

async function putList(key: string, text: string): Promise<void> {
  await store.put({ bucket: LISTS, key }, key.endsWith('.gz') ? gzipSync(text) : text);
}

/** The items every input of OBJECTS must give: names relative to data/, sizes and ETags as listed. */
function expectedItems(versionIds: Map<string, string> = new Map()) {
  return OBJECTS.map(([key, body]) => ({
    name: key.slice('data/'.length),
    size: Buffer.byteLength(body),
    etag: etags.get(key),
    ...(versionIds.has(key) ? { versionId: versionIds.get(key) } : {}),
  })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

describe('gatherNamedObjects from key lists', () => {
  it('reads a Batch Operations CSV (URL-encoded keys, quoted fields, version ids), looking each object up', async () => {
    const versionIds = new Map([[OBJECTS[1][0], 'v1.Ab_c']]);
    const lines = OBJECTS.map(([key]) => [SRC, encodeInventoryKey(key), versionIds.get(key)].filter((field) => field !== undefined).map((field) => csvField(field as string)).join(','));
    await putList('batch.csv', `${lines.join('\r\n')}\r\n`);
    const gathered = await gatherNamedObjects(keysInput('batch.csv'), options());
    // s3rver keeps no versions and answers HEAD of any version id with the current object.
    expect(gathered).toEqual({ source: { bucket: SRC, key: 'data/' }, items: expectedItems(versionIds), missing: [], filteredOut: 0, lookedUp: OBJECTS.length });
  });

  it('reads gzip\u2019d JSONL with the keys as they are, and a .txt list relative to --source', async () => {
    await putList('objects.jsonl.gz', `${OBJECTS.map(([key]) => JSON.stringify({ bucket: SRC, key, extra: 1 })).join('\n')}\n\n`);
    expect((await gatherNamedObjects(keysInput('objects.jsonl.gz'), options())).items).toEqual(expectedItems());
    // A .txt line cannot hold a line feed: that key is left out here.
    const lineSafe = OBJECTS.filter(([key]) => !key.includes('\n'));
    await putList('objects.txt', `\ufeff${lineSafe.map(([key]) => key.slice('data/'.length)).join('\r\n')}`);
    const gathered = await gatherNamedObjects(keysInput('objects.txt', 'data'), options());
    expect(gathered.source).toEqual({ bucket: SRC, key: 'data/' });
    expect(gathered.items).toEqual(expectedItems().filter((item) => !item.name.includes('\n')));
  });

  it('applies --include/--exclude to the whole key (to the line for .txt) and lists missing objects by name', async () => {
    await putList('some.txt', 'plain.txt\nsub/gone.txt\nnot-here.log\n');
    const gathered = await gatherNamedObjects(keysInput('some.txt', 'data/'), options({ keep: (name) => name.endsWith('.txt') }));
    expect(gathered.items.map((item) => item.name)).toEqual(['plain.txt']);
    expect(gathered).toMatchObject({ missing: ['sub/gone.txt'], filteredOut: 1, lookedUp: 2 });
  });

  it('keeps an object named twice once, and refuses two versions of one key', async () => {
    await putList('twice.csv', `${SRC},data/plain.txt\n${SRC},data/plain.txt\n`);
    expect((await gatherNamedObjects(keysInput('twice.csv'), options())).items).toHaveLength(1);
    await putList('versions.csv', `${SRC},data/plain.txt,v1\n${SRC},data/plain.txt,v2\n`);
    expect((await failure(gatherNamedObjects(keysInput('versions.csv'), options()))).message).toMatch(/named twice, as versions v1 and v2/);
  });

  it.each([
    ['a second bucket', 'two.csv', `${SRC},data/plain.txt\nother-bucket,x.txt\n`, /two\.csv line 2: names bucket "other-bucket" after "inputs-src"; a plan counts the objects of one bucket/],
    ['a bad escape', 'escape.csv', `${SRC},data/50%zz.txt\n`, /escape\.csv line 1: key "data\/50%zz\.txt" is not validly URL-encoded/],
    ['a wrong field count', 'fields.csv', `${SRC}\n`, /fields\.csv line 1: has 1 field\(s\); expected bucket,key\[,versionId\]/],
    ['an unclosed quote', 'quote.csv', `${SRC},"data/plain.txt\n`, /quote\.csv: not valid CSV/],
    ['JSON without a key', 'nokey.jsonl', `{"bucket":"${SRC}"}\n`, /nokey\.jsonl line 1: field "key" is missing/],
    ['JSON with a key that is not a string', 'numkey.jsonl', `{"bucket":"${SRC}","key":5}\n`, /numkey\.jsonl line 1: field "key" invalid input: expected string, received number/],
    ['a line that is not JSON', 'bad.jsonl', 'not json\n', /bad\.jsonl line 1: not valid JSON/],
    ['a key over 1,024 bytes', 'long.jsonl', `${JSON.stringify({ bucket: SRC, key: 'k'.repeat(1025) })}\n`, /not an S3 key \(the key is 1025 bytes long/],
    ['gzip that is not', 'fake.csv.gz', 'plain text', /fake\.csv\.gz is not valid gzip/],
    ['an unknown format', 'list.xml', '<list/>', /the name must end in \.csv, \.jsonl or \.txt/],
    ['a .txt list without --source', 'objects.txt', 'a.txt', /a \.txt list holds bare keys; give --source/],
    ['an empty list', 'empty.csv', '', /names no objects/],
  ])('refuses %s with exit 2 naming the line', async (_case, key, text, message) => {
    if (key.endsWith('.gz')) await store.put({ bucket: LISTS, key }, text);
    else await putList(key, text);
    const error = await failure(gatherNamedObjects(keysInput(key), options()));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(message);
  });

  it('reports a missing list as missing input (exit 3)', async () => {
    expect((await failure(gatherNamedObjects(keysInput('nope.csv'), options()))).exitCode).toBe(ExitCode.InputChanged);
  });
});

describe('gatherNamedObjects from an S3 Inventory report', () => {
  const rows = OBJECTS.map(([key, body]) => ({ key, size: Buffer.byteLength(body), etag: etags.get(key) as string }));

  async function putReport(report: ReturnType<typeof formatInventoryReport>): Promise<NamedInput> {
    for (const file of report.files) await store.put({ bucket: LISTS, key: file.key }, file.body);
    await store.put({ bucket: LISTS, key: report.manifestKey }, report.manifest);
    return { kind: 'manifest', manifest: { bucket: LISTS, key: report.manifestKey } };
  }

  it('reads every data file with its sizes and ETags, without a single lookup', async () => {
    const input = await putReport(formatInventoryReport({ sourceBucket: SRC, destinationBucket: LISTS, prefix: 'inv/', rows, rowsPerFile: 2 }));
    const gathered = await gatherNamedObjects(input, options());
    expect(gathered).toEqual({ source: { bucket: SRC, key: 'data/' }, items: expectedItems(), missing: [], filteredOut: 0, lookedUp: 0 });
  });

  it('reads version ids, passes over delete markers and older versions, and looks up rows without Size/ETag', async () => {
    const versioned = [
      ...rows.map((row, index) => ({ ...row, versionId: `ver${index}` })),
      { key: 'data/plain.txt', size: 3, etag: 'old', versionId: 'older', isLatest: false },
      { key: 'data/deleted.txt', size: 0, etag: '', versionId: 'marker', isDeleteMarker: true },
    ];
    const input = await putReport(formatInventoryReport({ sourceBucket: SRC, destinationBucket: LISTS, prefix: 'versioned/', rows: versioned, versioned: true, without: ['ETag'] }));
    const gathered = await gatherNamedObjects(input, options());
    expect(gathered.items).toEqual(expectedItems(new Map(rows.map((row, index) => [row.key, `ver${index}`]))));
    expect(gathered.lookedUp).toBe(rows.length);
  });

  it('refuses a Parquet or ORC report by its format', async () => {
    for (const format of ['Parquet', 'ORC']) {
      const report = formatInventoryReport({ sourceBucket: SRC, destinationBucket: LISTS, prefix: `${format}/`, rows });
      const input = await putReport({ ...report, manifest: report.manifest.replace('"fileFormat": "CSV"', `"fileFormat": "${format}"`) });
      const error = await failure(gatherNamedObjects(input, options()));
      expect(error.exitCode).toBe(ExitCode.Usage);
      expect(error.message).toContain(`the inventory's fileFormat is ${format}; only CSV inventory reports are read`);
    }
  });

  it('fails with exit 3 when a data file is not the one the manifest describes (MD5)', async () => {
    const report = formatInventoryReport({ sourceBucket: SRC, destinationBucket: LISTS, prefix: 'tampered/', rows });
    const input = await putReport({ ...report, files: [{ key: report.files[0].key, body: gzipSync('"inputs-src","data/plain.txt","11","2026-01-01T00:00:00.000Z","x","STANDARD"\n') }] });
    const error = await failure(gatherNamedObjects(input, options()));
    expect(error.exitCode).toBe(ExitCode.InputChanged);
    expect(error.message).toMatch(/has MD5 [0-9a-f]{32}, but its manifest says/);
  });

  it('refuses a manifest that is not one, naming the field', async () => {
    await store.put({ bucket: LISTS, key: 'bad/manifest.json' }, JSON.stringify({ sourceBucket: SRC }));
    const error = await failure(gatherNamedObjects({ kind: 'manifest', manifest: { bucket: LISTS, key: 'bad/manifest.json' } }, options()));
    expect(error.message).toMatch(/field "destinationBucket" is missing: not an S3 Inventory manifest\.json/);
    await store.put({ bucket: LISTS, key: 'bad/typed.json' }, JSON.stringify({ sourceBucket: SRC, destinationBucket: 7 }));
    const typed = await failure(gatherNamedObjects({ kind: 'manifest', manifest: { bucket: LISTS, key: 'bad/typed.json' } }, options()));
    expect(typed.message).toMatch(/field "destinationBucket" invalid input: expected string, received number: not an S3 Inventory manifest\.json/);
  });
});
