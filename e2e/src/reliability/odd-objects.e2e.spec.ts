import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { putObjects, startTestS3, type TestS3 } from '../harness';
import { referenceCounts } from '../reference-count';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { CONTROL_KEYS, LONG_KEY, RESERVED_KEY } from './odd-keys';
import { fingerprint, runPipeline, runStage, writeFigures, type PipelineOptions } from './runs';

/**
 * Odd objects and odd keys through every stage, against an embedded S3 server (s3rver) seen
 * through the loopback proxy of fault-proxy.ts (no faults injected: it only answers
 * `encoding-type=url` listings the way S3 does, which s3rver cannot).
 */

const SRC = 'odd-source';
const DST = 'odd-results';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function utf16(text: string, order: 'le' | 'be', withBom = true): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? bytes : bytes.swap16();
  return withBom ? Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body;
}


/** Each object and the text it must be counted as (undefined: skipped as binary). */
const OBJECTS: Array<[string, string | Buffer, string | undefined]> = [
  ['odd/empty.txt', '', ''],
  ['odd/no-newline.txt', 'alpha beta gamma', 'alpha beta gamma'],
  ['odd/bom-utf8.txt', Buffer.concat([BOM, Buffer.from('Hello hello WORLD\n')]), 'Hello hello WORLD\n'],
  ['odd/utf16le.txt', utf16('Grüße aus Köln, grüße!\r\n', 'le'), 'Grüße aus Köln, grüße!\r\n'],
  ['odd/utf16be.txt', utf16('Straße straße 𝐀𝐁', 'be'), 'Straße straße 𝐀𝐁'],
  ['odd/utf16-without-bom.txt', utf16('no byte order mark', 'le', false), undefined],
  ['odd/invalid-utf8.txt', Buffer.concat([Buffer.from('abc'), Buffer.from([0xff]), Buffer.from('def '), Buffer.from([0xc3]), Buffer.from(' ghi'), Buffer.from([0xe2, 0x82])]), 'abc\ufffddef \ufffd ghi\ufffd'],
  ['odd/nul.bin', Buffer.from('text\u0000more text'), undefined],
  ['odd/long-word.txt', `${'w'.repeat(2 * 1024 * 1024)} short`, `${'w'.repeat(2 * 1024 * 1024)} short`],
  [LONG_KEY, 'long key words', 'long key words'],
  ...CONTROL_KEYS.map((key): [string, string, string] => [key, `control ${key.length}`, `control ${key.length}`]),
  [RESERVED_KEY, 'reserved characters', 'reserved characters'],
];

let s3: TestS3;
let proxy: FaultProxy;
let env: Record<string, string>;
let viaProxy: ObjectStore;
let sourceBefore: string[];
const figures = { runsCompared: 0, mismatches: 0, oddObjects: OBJECTS.length, oddKeys: CONTROL_KEYS.length + 2 };

function pipeline(name: string, planFlags: string[] = []): PipelineOptions {
  return { source: `s3://${SRC}/odd/`, destination: `s3://${DST}/out-${name}/`, plan: `s3://${DST}/plans/${name}.json`, shards: 2, planFlags };
}

interface MergeJson {
  words: Array<{ word: string; count: number }>;
  skipped: Array<{ name: string; reason: string; detail?: string }>;
  totals: { files: number; skippedFiles: number; bytes: number; words: number };
}

function compare<T>(actual: T, expected: T): void {
  figures.runsCompared++;
  try {
    expect(actual).toEqual(expected);
  } catch (error) {
    figures.mismatches++;
    throw error;
  }
}

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
  proxy = await startFaultProxy(s3.server.endpoint);
  env = { ...s3.server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
  viaProxy = new ObjectStore(createS3Client(env));
  expect(Buffer.byteLength(LONG_KEY)).toBe(1024);
  await putObjects(s3.store, SRC, OBJECTS.map(([key, body]) => [key, body]));
  sourceBefore = await fingerprint(viaProxy, SRC);
});

afterAll(async () => {
  writeFigures('odd-objects', figures);
  viaProxy.client.destroy();
  await proxy.close();
  await s3.stop();
});

describe('odd objects and keys, all in one run', () => {
  let result: MergeJson;

  beforeAll(async () => {
    const runs = await runPipeline(pipeline('all'), env);
    expect([runs.plan.code, ...runs.migrate.map((run) => run.code), runs.merge.code]).toEqual([0, 0, 0, 0]);
    result = JSON.parse(runs.merge.stdout) as MergeJson;
  });

  it('counts every text object exactly as its decoded text, and only once', () => {
    const texts = OBJECTS.flatMap(([, , text]) => (text === undefined ? [] : [text]));
    compare(new Map(result.words.map(({ word, count }) => [word, count])), referenceCounts(texts));
    expect(result.totals.files).toBe(texts.length);
    expect(result.totals.bytes).toBe(OBJECTS.reduce((sum, [, body]) => sum + Buffer.byteLength(body), 0));
  });

  it('skips UTF-16 without a BOM and NUL bytes as binary, and lists them', () => {
    compare(result.skipped, [
      { name: 'nul.bin', reason: 'binary', detail: 'contains a NUL byte' },
      { name: 'utf16-without-bom.txt', reason: 'binary', detail: 'contains a NUL byte' },
    ]);
  });

  it('decodes UTF-16 with a BOM and drops a UTF-8 BOM: no word carries U+FEFF', () => {
    const counts = new Map(result.words.map(({ word, count }) => [word, count]));
    expect(counts.get('grüße')).toBe(2);
    expect(counts.get('straße')).toBe(2);
    expect(counts.get('hello')).toBe(2);
    expect(result.words.some(({ word }) => word.includes('\ufeff'))).toBe(false);
  });
});

describe('the whitespace tokenizer on a UTF-8 BOM', () => {
  it('counts the first word without the BOM', async () => {
    const runs = await runPipeline(pipeline('whitespace', ['--tokenizer', 'whitespace', '--include', 'bom-utf8.txt']), env);
    expect(runs.merge.code).toBe(0);
    compare((JSON.parse(runs.merge.stdout) as MergeJson).words, [
      { word: 'hello', count: 2 },
      { word: 'world', count: 1 },
    ]);
  });
});

describe('per-file results for odd keys', () => {
  it('are written at exactly the key names, control and reserved characters included', async () => {
    const runs = await runPipeline(pipeline('per-file', ['--per-file', '--exclude', `${LONG_KEY.slice('odd/'.length, 'odd/'.length + 10)}*`]), env);
    expect([runs.plan.code, ...runs.migrate.map((run) => run.code), runs.merge.code]).toEqual([0, 0, 0, 0]);
    const names: string[] = [];
    for await (const object of viaProxy.list({ bucket: DST, key: 'out-per-file/' })) {
      const at = object.key.indexOf('/files/');
      if (at !== -1) names.push(object.key.slice(at + '/files/'.length));
    }
    const counted = OBJECTS.filter(([key, , text]) => text !== undefined && key !== LONG_KEY).map(([key]) => key.slice('odd/'.length));
    compare(names.sort(), counted.sort());
    const perFile = await viaProxy.readText({ bucket: DST, key: `${await resultsFolder('per-file')}files/${RESERVED_KEY.slice('odd/'.length)}` });
    expect(perFile).toBe('characters\t1\nreserved\t1\n');
  });

  it('refuses, with exit 2 naming the object, a per-file result whose key would pass S3’s 1,024 bytes', async () => {
    const options = pipeline('too-long', ['--per-file', '--include', `${LONG_KEY.slice('odd/'.length, 'odd/'.length + 10)}*`]);
    // plan sees it coming and refuses before writing anything ...
    const plan = await runStage('plan', ['--source', options.source, '--destination', options.destination, '--plan', options.plan, ...(options.planFlags ?? [])], env);
    expect(plan.code).toBe(2);
    expect(plan.errorLine).toMatch(/^wordbatch plan: error: --per-file: 1 object\(s\) have no writable per-file key, first "k{200}\/.*over S3's 1024\); --exclude them or drop --per-file$/);
    const written: string[] = [];
    for await (const object of viaProxy.list({ bucket: DST, key: 'out-too-long/' })) written.push(object.key);
    expect(written).toEqual([]);
    // ... and migrate, given such a plan anyway (planned without --per-file, then edited), refuses to write it.
    expect((await runStage('plan', ['--source', options.source, '--destination', options.destination, '--plan', options.plan, '--include', `${LONG_KEY.slice('odd/'.length, 'odd/'.length + 10)}*`], env)).code).toBe(0);
    const planLocation = { bucket: DST, key: options.plan.slice(`s3://${DST}/`.length) };
    const header = JSON.parse(await viaProxy.readText(planLocation));
    await viaProxy.put(planLocation, JSON.stringify({ ...header, settings: { ...header.settings, perFile: true } }));
    const migrate = await runStage('migrate', ['--plan', options.plan], env);
    expect(migrate.code).toBe(2);
    expect(migrate.errorLine).toMatch(/^wordbatch migrate: error: refusing to write s3:\/\/odd-results\/out-too-long\/.*\/files\/k{200}\/.*: the key is 1\d{3} bytes long, over S3's 1024$/);
    const after: string[] = [];
    for await (const object of viaProxy.list({ bucket: DST, key: 'out-too-long/' })) after.push(object.key);
    expect(after.filter((key) => !key.endsWith('/plan.json'))).toEqual([]);
  });
});

describe('a key with ../ in it', () => {
  it('is requested literally, never resolved by the stages, so S3 reads the key the plan names', async () => {
    // s3rver keeps objects as files and resolves `..` (its limitation: S3 takes keys literally), so
    // the dotted name is put in the shard list the way a listing of real S3 would give it.
    await s3.store.put({ bucket: SRC, key: 'dots/target.txt' }, 'dotted words');
    const options = { ...pipeline('dots'), source: `s3://${SRC}/dots/`, shards: 1 };
    expect((await runStage('plan', ['--source', options.source, '--destination', options.destination, '--plan', options.plan], env)).code).toBe(0);
    const listKey = 'plans/dots/shard-00000.json';
    const list = JSON.parse(await s3.store.readText({ bucket: DST, key: listKey })) as { items: Array<{ name: string }> };
    list.items[0].name = 'sub/../target.txt';
    await s3.store.put({ bucket: DST, key: listKey }, JSON.stringify(list));
    const since = proxy.log.length;
    const migrate = await runStage('migrate', ['--plan', options.plan], env);
    expect(migrate.code).toBe(0);
    const reads = proxy.log.slice(since).filter((request) => request.bucket === SRC);
    expect(reads.map((request) => request.rawPath.split('?')[0])).toEqual([`/${SRC}/dots/sub/../target.txt`]);
  });
});

describe('one 200 MB line', () => {
  it('is streamed and counted exactly, without a newline anywhere', async () => {
    const block = Buffer.from('lorem ipsum dolor sit amet consectetur '.repeat(Math.ceil((1024 * 1024) / 39)).slice(0, 1024 * 1024 - 1) + ' ');
    const words = block.toString('latin1').split(' ').filter((word) => word !== '');
    const blocks = 200;
    await s3.store.putChunks({ bucket: SRC, key: 'huge/line.txt' }, Array.from({ length: blocks }, () => block));
    const options = { ...pipeline('huge'), source: `s3://${SRC}/huge/`, shards: 1 };
    const runs = await runPipeline(options, env);
    expect([runs.plan.code, runs.migrate[0].code, runs.merge.code]).toEqual([0, 0, 0]);
    const result = JSON.parse(runs.merge.stdout) as MergeJson;
    expect(result.totals.bytes).toBe(blocks * block.length);
    compare(new Map(result.words.map(({ word, count }) => [word, count])), new Map([...referenceCounts([block.toString('latin1')])].map(([word, count]) => [word, count * blocks])));
    expect(result.totals.words).toBe(words.length * blocks);
  }, 120_000);
});

describe('the source prefix', () => {
  it('has every ETag it had before', async () => {
    const after = await fingerprint(viaProxy, SRC);
    expect(after.filter((line) => !line.startsWith('"dots/') && !line.startsWith('"huge/'))).toEqual(sourceBefore);
    expect(proxy.log.filter((request) => request.bucket === SRC && request.method !== 'GET' && request.method !== 'HEAD')).toEqual([]);
  });
});

async function resultsFolder(name: string): Promise<string> {
  const folders = await viaProxy.listFolders({ bucket: DST, key: `out-${name}/` });
  expect(folders).toHaveLength(1);
  return folders[0];
}
