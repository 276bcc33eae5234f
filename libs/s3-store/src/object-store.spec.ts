import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client } from './client';
import { ObjectStore } from './object-store';

const bucket = 'store-test';
let server: LocalS3;
let store: ObjectStore;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-store-'));
  server = await startLocalS3({ directory, buckets: [bucket] });
  store = new ObjectStore(createS3Client(server.env));
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

async function exitCodeOfRejection(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return (error as StageError).exitCode;
}

async function readAll(path: { bucket: string; key: string }, options = {}): Promise<string> {
  const { body } = await store.open(path, options);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('ObjectStore over the S3 protocol', () => {
  it('lists past one page, with sizes and ETags', async () => {
    const keys = Array.from({ length: 1_050 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.put({ bucket, key }, `body ${key}`)));
    }
    const listed = [];
    for await (const object of store.list({ bucket, key: 'many/' })) listed.push(object);
    expect(listed.map((object) => object.key)).toEqual(keys);
    expect(listed[0].size).toBe(Buffer.byteLength(`body ${keys[0]}`));
    expect(listed[0].etag).toMatch(/^[0-9a-f]{32}$/);
  }, 60_000);

  it.each(['with space.txt', 'plus+sign.txt', 'percent%20.txt', 'ünïcödé/日本.txt', "bang!quote'(paren)*star.txt", 'tilde~semi;colon:eq=amp&.txt'])('round-trips the key %s', async (name) => {
    const path = { bucket, key: `odd/${name}` };
    await store.put(path, `content of ${name}`);
    expect(await readAll(path)).toBe(`content of ${name}`);
    expect(await store.readText(path)).toBe(`content of ${name}`);
  });

  it('reads only the planned version', async () => {
    const path = { bucket, key: 'versioned.txt' };
    await store.put(path, 'first');
    const [{ etag }] = await collect(store.list({ bucket, key: 'versioned.txt' }));
    expect(await readAll(path, { ifMatch: etag })).toBe('first');
    await store.put(path, 'second');
    expect(await exitCodeOfRejection(store.open(path, { ifMatch: etag }))).toBe(ExitCode.InputChanged);
  });

  it('heads an object: its size and ETag as listed, or undefined when it does not exist', async () => {
    const path = { bucket, key: 'head me/ünï+.txt' };
    await store.put(path, 'twelve bytes');
    const [listed] = await collect(store.list(path));
    expect(await store.head(path)).toEqual({ size: 12, etag: listed.etag });
    expect(await store.head({ bucket, key: 'head me/missing.txt' })).toBeUndefined();
    const aborted = AbortSignal.abort();
    expect(await exitCodeOfRejection(store.head(path, { signal: aborted }))).toBe(ExitCode.Terminated);
  });

  it('reads a byte range', async () => {
    const path = { bucket, key: 'range.txt' };
    await store.put(path, '0123456789');
    expect(await readAll(path, { range: { start: 3 } })).toBe('3456789');
    expect(await readAll(path, { range: { start: 2, end: 5 } })).toBe('234');
  });

  it('reports missing objects and buckets as missing input', async () => {
    await expect(store.open({ bucket, key: 'nope.txt' })).rejects.toThrow('s3://store-test/nope.txt does not exist');
    expect(await exitCodeOfRejection(store.open({ bucket, key: 'nope.txt' }))).toBe(ExitCode.InputChanged);
    expect(await exitCodeOfRejection(collect(store.list({ bucket: 'no-such-bucket', key: '' })))).toBe(
      ExitCode.InputChanged,
    );
  });

  it('refuses to read a small object that is too large', async () => {
    const path = { bucket, key: 'big.txt' };
    await store.put(path, 'x'.repeat(100));
    await expect(store.readText(path, { maxBytes: 10 })).rejects.toThrow('larger than 10 bytes');
  });

  it('streams a large body through a multipart upload intact', async () => {
    const path = { bucket, key: 'multipart.txt' };
    const line = 'word\t12345\n';
    function* chunks() {
      for (let i = 0; i < 40; i++) yield line.repeat(50_000);
    }
    await store.putChunks(path, chunks());
    const text = await readAll(path);
    expect(text.length).toBe(line.length * 50_000 * 40);
    expect(text.slice(0, 22)).toBe(line + line);
  }, 30_000);

  it('lists immediate folders', async () => {
    await store.put({ bucket, key: 'tree/a/1.txt' }, '1');
    await store.put({ bucket, key: 'tree/b/2.txt' }, '2');
    await store.put({ bucket, key: 'tree/c.txt' }, '3');
    expect(await store.listFolders({ bucket, key: 'tree/' })).toEqual(['tree/a/', 'tree/b/']);
  });

  it('reports an unreachable server as transient', async () => {
    const down = new ObjectStore(createS3Client({ ...server.env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' }));
    expect(await exitCodeOfRejection(down.open({ bucket, key: 'x' }))).toBe(ExitCode.Transient);
    down.destroy();
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
