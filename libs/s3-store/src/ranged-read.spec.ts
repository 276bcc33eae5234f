import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client } from './client';
import { ObjectStore } from './object-store';
import { PartBudget, readRanges } from './ranged-read';

const bucket = 'ranged-test';
const path = { bucket, key: 'big/one.txt' };
/** Bytes that are different at every offset, so a part out of place would show. */
const body = Buffer.from(Array.from({ length: 200_000 }, (_, index) => String.fromCharCode(97 + ((index * 7919) % 26))).join(''));
let server: LocalS3;
let store: ObjectStore;
let directory: string;
let etag: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-ranged-'));
  server = await startLocalS3({ directory, buckets: [bucket] });
  store = new ObjectStore(createS3Client(server.env));
  await store.put(path, body);
  const listed = [];
  for await (const object of store.list({ bucket, key: 'big/' })) listed.push(object);
  etag = listed[0].etag;
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

async function readAll(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const taken: Buffer[] = [];
  for await (const chunk of chunks) taken.push(chunk);
  return Buffer.concat(taken);
}

async function stageErrorOf(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

describe('readRanges', () => {
  it.each([1, 999, 65_536, 199_999, 200_000, 1_000_000])('gives the object back byte for byte with parts of %i bytes', async (partBytes) => {
    const budget = new PartBudget(4);
    const read = await readAll(readRanges(store, path, { etag, size: body.length, partBytes: Math.max(partBytes, 1000), budget }));
    expect(read.equals(body)).toBe(true);
    // Every part given back.
    for (let part = 0; part < 4; part++) expect(budget.tryTake()).toBe(true);
    expect(budget.tryTake()).toBe(false);
  });

  it.each([1_000, 65_536, 199_999, 1_000_000])('with reuseBuffers, gives the object back through at most as many part buffers as the budget has parts (%i-byte parts)', async (partBytes) => {
    const budget = new PartBudget(3);
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of readRanges(store, path, { etag, size: body.length, partBytes, budget, reuseBuffers: true })) {
      // Valid only until the next chunk is asked for: copied here, as the contract says.
      copies.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
    }
    expect(Buffer.concat(copies).equals(body)).toBe(true);
    expect(buffers.size).toBeLessThanOrEqual(Math.min(3, Math.ceil(body.length / partBytes)));
    for (let part = 0; part < 3; part++) expect(budget.tryTake()).toBe(true);
  });

  it('fails as a changed object when the object no longer has the planned ETag', async () => {
    const budget = new PartBudget(2);
    const error = await stageErrorOf(readAll(readRanges(store, path, { etag: '0123456789abcdef0123456789abcdef', size: body.length, partBytes: 50_000, budget })));
    expect(error.exitCode).toBe(ExitCode.InputChanged);
    expect(error.message).toMatch(/changed since it was planned/);
    expect(budget.tryTake() && budget.tryTake()).toBe(true);
  });

  it('fails as a changed object when the object is shorter than planned', async () => {
    const error = await stageErrorOf(readAll(readRanges(store, path, { etag, size: body.length + 10, partBytes: 50_000, budget: new PartBudget(2) })));
    expect(error.exitCode).toBe(ExitCode.InputChanged);
  });

  it('gives back every part when the reader stops early', async () => {
    const budget = new PartBudget(3);
    for await (const chunk of readRanges(store, path, { etag, size: body.length, partBytes: 10_000, budget })) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect(budget.tryTake() && budget.tryTake() && budget.tryTake()).toBe(true);
  });

  it('makes a second reader wait for parts the first one holds', async () => {
    const budget = new PartBudget(1);
    const first = readRanges(store, path, { etag, size: body.length, partBytes: 100_000, budget });
    await first.next();
    const second = readAll(readRanges(store, path, { etag, size: body.length, partBytes: 100_000, budget }));
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondDone).toBe(false);
    expect((await readAll(first)).length).toBeGreaterThan(0);
    expect((await second).equals(body)).toBe(true);
  });
});

describe('readRanges, against a server that breaks a part mid-body', () => {
  let faulty: Server;
  let faultyStore: ObjectStore;
  const seen: IncomingHttpHeaders[] = [];
  const text = Buffer.from('0123456789'.repeat(10));

  beforeAll(async () => {
    faulty = createServer((request, response) => {
      seen.push(request.headers);
      const [, from, to] = /bytes=(\d+)-(\d+)/.exec(String(request.headers.range)) ?? [];
      const part = text.subarray(Number(from), Number(to) + 1);
      response.writeHead(206, { 'content-length': String(part.length), etag: '"e1"', 'content-range': `bytes ${from}-${to}/${text.length}` });
      if (Number(from) === 40) {
        // The second part, always: five bytes, then the connection is reset.
        response.write(part.subarray(0, 5), () => response.socket?.resetAndDestroy());
        return;
      }
      response.end(part);
    });
    await new Promise<void>((resolve) => faulty.listen(0, '127.0.0.1', resolve));
    const { port } = faulty.address() as AddressInfo;
    faultyStore = new ObjectStore(
      createS3Client({ AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '3' }),
    );
  });

  afterAll(async () => {
    faultyStore.destroy();
    faulty.closeAllConnections();
    await new Promise((resolve) => faulty.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it.each([false, true])('reads the rest of the broken part only, pinned to the ETag like every part (reuseBuffers %s)', async (reuseBuffers) => {
    const copies: Buffer[] = [];
    for await (const chunk of readRanges(faultyStore, { bucket: 'b', key: 'k' }, { etag: 'e1', size: text.length, partBytes: 40, budget: new PartBudget(2), reuseBuffers })) {
      copies.push(Buffer.from(chunk));
    }
    expect(Buffer.concat(copies).equals(text)).toBe(true);
    expect(seen.map((headers) => headers.range).sort()).toEqual(['bytes=0-39', 'bytes=40-79', 'bytes=45-79', 'bytes=80-99']);
    expect(seen.every((headers) => headers['if-match'] === '"e1"')).toBe(true);
  });
});
