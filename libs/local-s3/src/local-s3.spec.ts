import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalS3 } from './local-s3';

describe('startLocalS3', () => {
  it('serves S3 on a loopback port with the buckets asked for', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'wordbatch-local-s3-'));
    const server = await startLocalS3({ directory, buckets: ['first-bucket'] });
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.env['AWS_ENDPOINT_URL_S3']).toBe(server.endpoint);
      const response = await fetch(`${server.endpoint}/first-bucket?list-type=2`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<ListBucketResult');
    } finally {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the embedded server with a delimiter', () => {
  it('reports a common prefix even when no object sits directly inside it, as S3 does', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'wordbatch-local-s3-'));
    const server = await startLocalS3({ directory, buckets: ['tree'] });
    try {
      // Anonymous PUTs: s3rver accepts unsigned requests.
      for (const key of ['a/b/c.txt', 'a/d.txt', 'e/f/g/h.txt', 'top.txt']) {
        expect((await fetch(`${server.endpoint}/tree/${key}`, { method: 'PUT', body: key })).status).toBe(200);
      }
      const listing = await (await fetch(`${server.endpoint}/tree?list-type=2&delimiter=/`)).text();
      expect([...listing.matchAll(/<Prefix>([^<]+)<\/Prefix>/g)].map((match) => match[1])).toEqual(['a/', 'e/']);
      expect([...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1])).toEqual(['top.txt']);
      const inner = await (await fetch(`${server.endpoint}/tree?list-type=2&delimiter=/&prefix=a/`)).text();
      expect([...inner.matchAll(/<Prefix>([^<]+)<\/Prefix>/g)].map((match) => match[1])).toEqual(['a/', 'a/b/']);
    } finally {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('onObjectRead', () => {
  it('is told of each object GET answered with a body (whole or ranged), not of PUTs, listings or missing keys', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'wordbatch-local-s3-'));
    const reads: Array<{ bucket: string; rawKey: string; bytes: number }> = [];
    const server = await startLocalS3({ directory, buckets: ['watched'], onObjectRead: (read) => reads.push(read) });
    try {
      expect((await fetch(`${server.endpoint}/watched/a%20b.txt`, { method: 'PUT', body: 'hello world' })).status).toBe(200);
      expect((await fetch(`${server.endpoint}/watched?list-type=2`)).status).toBe(200);
      expect((await fetch(`${server.endpoint}/watched/missing.txt`)).status).toBe(404);
      expect(await (await fetch(`${server.endpoint}/watched/a%20b.txt`)).text()).toBe('hello world');
      expect(await (await fetch(`${server.endpoint}/watched/a%20b.txt`, { headers: { range: 'bytes=0-4' } })).text()).toBe('hello');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reads).toEqual([
        { bucket: 'watched', rawKey: 'a%20b.txt', bytes: 11 },
        { bucket: 'watched', rawKey: 'a%20b.txt', bytes: 5 },
      ]);
    } finally {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
