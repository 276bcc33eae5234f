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
    // The first two in the list's order, whichever lookup finishes first.
    await putList('versions3.csv', `${SRC},data/a-gone,v9\n${SRC},data/plain.txt,v3\n${SRC},data/plain.txt,v1\n${SRC},data/plain.txt,v2\n${SRC},data/a-gone,v8\n`);
    expect((await failure(gatherNamedObjects(keysInput('versions3.csv'), options()))).message).toMatch(/"data\/plain\.txt" is named twice, as versions v3 and v1;/);
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
    ['an empty list', 'empty.csv', '', /^--keys s3:\/\/inputs-lists\/empty\.csv names no objects$/],
    ['four fields', 'four.csv', `${SRC},a,v,x\n`, /^--keys s3:\/\/inputs-lists\/four\.csv line 1: has 4 field\(s\); expected/],
    ['an empty key', 'emptykey.csv', `${SRC},\n`, /^--keys s3:\/\/inputs-lists\/emptykey\.csv line 1: not an S3 key \(the key is empty\)$/],
    ['a JSONL line that is not an object', 'array.jsonl', '[1]\n', /^--keys s3:\/\/inputs-lists\/array\.jsonl line 1: the line invalid input: expected object, received array$/],
    ['a JSONL empty version id', 'emptyversion.jsonl', `{"bucket":"${SRC}","key":"k","versionId":""}\n`, /^--keys s3:\/\/inputs-lists\/emptyversion\.jsonl line 1: field "versionId" too small/],
    ['a JSONL line longer than a list holds', 'huge.jsonl', 'x'.repeat(1024 * 1024 + 1), /^--keys s3:\/\/inputs-lists\/huge\.jsonl line 1 is longer than 1048576 characters: not a key list$/],
    ['a version and the latest of one key', 'latest.csv', `${SRC},data/plain.txt\n${SRC},data/plain.txt,v2\n`, /^--keys: "data\/plain\.txt" is named twice, as versions \(latest\) and v2; a plan counts each key once$/],
  ])('refuses %s with exit 2 naming the line', async (_case, key, text, message) => {
    if (key.endsWith('.gz')) await store.put({ bucket: LISTS, key }, text);
    else await putList(key, text);
    const error = await failure(gatherNamedObjects(keysInput(key), options()));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(message);
  });

  it('refuses --source beside a list that names buckets', async () => {
    await putList('named.jsonl', `{"bucket":"${SRC}","key":"data/plain.txt"}\n`);
    const error = await failure(gatherNamedObjects(keysInput('named.jsonl', 'data/'), options()));
    expect([error.exitCode, error.message]).toEqual([
      ExitCode.Usage,
      '--source cannot be combined with --keys s3://inputs-lists/named.jsonl: a .jsonl list names each object\u2019s bucket and key (only a .txt list is relative to --source)'.replace('\u2019', "'"),
    ]);
  });

  it('takes an empty version id as none, skips blank lines and folder markers, and names the source from the keys\u2019 deepest shared folder', async () => {
    await putList('mixed.csv', `${SRC},data/sub/ctl%01%09%0D%0A.txt,\n\n${SRC},data/sub/\n${SRC},"data/sub/caf%C3%A9+%F0%9F%98%80.txt"\n`);
    const gathered = await gatherNamedObjects(keysInput('mixed.csv'), options());
    expect(gathered).toMatchObject({ source: { bucket: SRC, key: 'data/sub/' }, missing: [], lookedUp: 2 });
    expect(gathered.items.map((item) => [item.name, 'versionId' in item])).toEqual([
      ['caf\u00e9 \u{1f600}.txt', false],
      ['ctl\u0001\t\r\n.txt', false],
    ]);
    // Keys that share a partial name (`data/s…`) still plan from the folder they share.
    await putList('partial.txt', ' \nsub/caf\u00e9 \u{1f600}.txt\n\nsub/ctl\u0001\t\r\n');
    const fromText = await gatherNamedObjects(keysInput('partial.txt', 'data/'), options());
    expect(fromText).toMatchObject({ source: { bucket: SRC, key: 'data/' }, missing: [' ', 'sub/ctl\u0001\t'] });
    await putList('spaced.jsonl', `  \n{"bucket":"${SRC}","key":"data/sub/caf\u00e9 \u{1f600}.txt"}\n\t\n{"bucket":"${SRC}","key":"data/plain.txt"}\n`);
    expect((await gatherNamedObjects(keysInput('spaced.jsonl'), options())).items.map((item) => item.name)).toEqual(['plain.txt', 'sub/caf\u00e9 \u{1f600}.txt']);
  });

  it('plans from the deepest folder the keys share, however their names start', async () => {
    const sourceOf = async (name: string, keys: string[]) => {
      await putList(name, keys.map((key) => `${SRC},${key}\n`).join(''));
      return (await gatherNamedObjects(keysInput(name), options())).source.key;
    };
    expect(await sourceOf('deeper-first.csv', ['data/sub/x.txt', 'data/other/yy.txt'])).toBe('data/');
    expect(await sourceOf('shared-start.csv', ['data/sub/ab.txt', 'data/sub/ac.txt'])).toBe('data/sub/');
    expect(await sourceOf('one.csv', ['data/sub/only.txt'])).toBe('data/sub/');
    expect(await sourceOf('top.csv', ['a.txt', 'data/b.txt'])).toBe('');
  });

  it('gives --include/--exclude a .txt line, relative to --source', async () => {
    await putList('relative.txt', 'plain.txt\nsub/caf\u00e9 \u{1f600}.txt\n');
    const gathered = await gatherNamedObjects(keysInput('relative.txt', 'data/'), options({ keep: (name) => name.startsWith('sub/') }));
    expect(gathered).toMatchObject({ items: [{ name: 'sub/caf\u00e9 \u{1f600}.txt' }], filteredOut: 1 });
  });

  it('lists missing objects once each, in name order, relative to the source', async () => {
    await putList('gone.csv', `${SRC},data/z-gone\n${SRC},data/plain.txt\n${SRC},data/a-gone\n${SRC},data/m/gone\n${SRC},data/z-gone\n`);
    const gathered = await gatherNamedObjects(keysInput('gone.csv'), options());
    expect(gathered).toMatchObject({ source: { bucket: SRC, key: 'data/' }, missing: ['a-gone', 'm/gone', 'z-gone'], lookedUp: 5 });
    expect(gathered.items.map((item) => item.name)).toEqual(['plain.txt']);
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
    expect(error.message).toMatch(
      /^--manifest data file s3:\/\/inputs-lists\/tampered\/\S+\.csv\.gz has MD5 [0-9a-f]{32}, but its manifest says [0-9a-f]{32}: truncated or replaced since the report was written$/,
    );
  });

  /** A report of OBJECTS[0] and OBJECTS[1] whose manifest and data file are given as text (the data file gzip'd). */
  async function putHandMadeReport(name: string, manifest: Record<string, unknown>, rowsText: string): Promise<NamedInput> {
    const body = gzipSync(rowsText);
    const dataKey = `${name}/data/rows.csv.gz`;
    await store.put({ bucket: LISTS, key: dataKey }, body);
    const document = { sourceBucket: SRC, destinationBucket: `arn:aws:s3:::${LISTS}`, fileFormat: 'CSV', fileSchema: 'Bucket, Key, Size, ETag', files: [{ key: dataKey, MD5checksum: createHash('md5').update(body).digest('hex').toUpperCase() }], ...manifest };
    await store.put({ bucket: LISTS, key: `${name}/manifest.json` }, JSON.stringify(document));
    return { kind: 'manifest', manifest: { bucket: LISTS, key: `${name}/manifest.json` } };
  }

  const row = (index: number, size: string, extra = '') => `"${SRC}","${encodeInventoryKey(OBJECTS[index][0])}","${size}","${etags.get(OBJECTS[index][0])}"${extra}\n`;

  it('reads a hand-made report: a plain bucket name, an upper-case MD5, columns in any order, empty Size and VersionId looked up', async () => {
    const input = await putHandMadeReport(
      'hand',
      { destinationBucket: LISTS, fileSchema: 'Size,  VersionId ,Key,Bucket' },
      `"${Buffer.byteLength(OBJECTS[0][1])}","","${encodeInventoryKey(OBJECTS[0][0])}","${SRC}"\n"","","${encodeInventoryKey(OBJECTS[1][0])}","${SRC}"\n`,
    );
    const gathered = await gatherNamedObjects(input, options());
    expect(gathered.items).toEqual(expectedItems().filter((item) => ['plain.txt', 'a b+c%2B.txt'].includes(item.name)));
    expect(gathered.lookedUp).toBe(2);
  });

  it.each([
    ['not JSON', {}, '', 'not JSON', /^--manifest s3:\/\/inputs-lists\/notjson\/manifest\.json is not valid JSON: not an S3 Inventory manifest\.json$/],
    ['a document that is not an object', {}, '', '[]', /^--manifest s3:\/\/inputs-lists\/array\/manifest\.json: field "\(document\)" invalid input: expected object, received array: not an S3 Inventory manifest\.json$/],
    ['a fileSchema without Key', { fileSchema: 'Bucket, Size' }, '', undefined, /^--manifest s3:\/\/inputs-lists\/nokey\/manifest\.json: fileSchema "Bucket, Size" has no Bucket and Key columns$/],
    ['a fileSchema without Bucket', { fileSchema: 'Key, Size' }, '', undefined, /fileSchema "Key, Size" has no Bucket and Key columns$/],
    ['a destination that is no bucket', { destinationBucket: 'arn:aws:s3:::b/extra' }, '', undefined, /^--manifest s3:\/\/inputs-lists\/arn\/manifest\.json: destinationBucket "arn:aws:s3:::b\/extra" is not an S3 bucket ARN$/],
    ['a destination with text before the ARN', { destinationBucket: 'x arn:aws:s3:::b' }, '', undefined, /destinationBucket "x arn:aws:s3:::b" is not an S3 bucket ARN$/],
    ['a destination name with capitals', { destinationBucket: 'Lists' }, '', undefined, /destinationBucket "Lists" is not an S3 bucket ARN$/],
    ['a destination name of 2 characters', { destinationBucket: 'ab' }, '', undefined, /destinationBucket "ab" is not an S3 bucket ARN$/],
    ['a row of the wrong width', {}, 'extra', undefined, /^--manifest data file s3:\/\/inputs-lists\/width\/data\/rows\.csv\.gz line 2: has 5 field\(s\) but the manifest's fileSchema names 4$/],
    ['a Size that is not a byte count', {}, '-1', undefined, /^--manifest data file s3:\/\/inputs-lists\/size\/data\/rows\.csv\.gz line 2: Size "-1" is not a byte count$/],
    ['a Size with a trailing letter', {}, '12a', undefined, /Size "12a" is not a byte count$/],
    ['a Size with a leading letter', {}, 'a12', undefined, /Size "a12" is not a byte count$/],
    ['a Size past 2^53', {}, '9007199254740993', undefined, /Size "9007199254740993" is not a byte count$/],
  ])('refuses %s with exit 2, naming the manifest or the row', async (_case, manifest, secondRow, document, message) => {
    const name = { 'not JSON': 'notjson', 'a document that is not an object': 'array', 'a fileSchema without Key': 'nokey', 'a destination that is no bucket': 'arn', 'a row of the wrong width': 'width', 'a Size that is not a byte count': 'size' }[_case] ?? _case.replace(/\W/g, '-');
    const rows = row(0, String(Buffer.byteLength(OBJECTS[0][1]))) + (secondRow === 'extra' ? row(1, '1', ',"x"') : secondRow === '' ? '' : row(1, secondRow));
    const input = await putHandMadeReport(name, manifest, rows);
    if (document !== undefined) await store.put({ bucket: LISTS, key: `${name}/manifest.json` }, document);
    const error = await failure(gatherNamedObjects(input, options()));
    expect([error.exitCode, error.message]).toEqual([ExitCode.Usage, expect.stringMatching(message)]);
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
