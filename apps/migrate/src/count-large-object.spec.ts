import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { planHeaderSchema, type PlanHeader } from '@wordbatch/plan-schema';
import { createS3Client, ObjectStore, PartBudget } from '@wordbatch/s3-store';
import { countWords, WordCounts, type TokenizerName } from '@wordbatch/word-count';
import { channelThreads } from './channel-threads.spec-helper';
import { countLargeObject } from './count-large-object';
import { countObject } from './count-object';
import { startShardCounter } from './count-pool';

const SOURCE = 'large-src';
let server: LocalS3;
let store: ObjectStore;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-large-'));
  server = await startLocalS3({ directory, buckets: [SOURCE] });
  store = new ObjectStore(createS3Client(server.env));
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

function headerOf(tokenizer: TokenizerName): PlanHeader {
  return planHeaderSchema.parse({
    version: 1,
    kind: 'wordbatch-plan',
    id: 'p-large',
    createdAt: '2025-01-01T00:00:00.000Z',
    source: `s3://${SOURCE}/docs/`,
    destination: 's3://large-dst/out/',
    shardLists: 's3://large-dst/plans/p/',
    settings: { tokenizer, perFile: false, include: [], exclude: [], shardBytes: null },
    shardCount: 1,
    totals: { files: 1, bytes: 0 },
  });
}

async function upload(name: string, body: Buffer) {
  await store.put({ bucket: SOURCE, key: `docs/${name}` }, body);
  return { name, size: body.length, etag: createHash('md5').update(body).digest('hex') };
}

function sorted(counts: WordCounts): Array<[string, number]> {
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The object counted both ways: read in ranges and cut into pieces, and whole in one GET. */
async function bothWays(body: Buffer, partBytes: number, tokenizer: TokenizerName = 'unicode') {
  const header = headerOf(tokenizer);
  const item = await upload(`object-${createHash('md5').update(body).digest('hex')}.txt`, body);
  const signal = new AbortController().signal;
  const split = startShardCounter({ tokenizer, perFile: false, threads: 3, spawn: channelThreads().spawn });
  const whole = startShardCounter({ tokenizer, perFile: false, threads: 1, spawn: channelThreads().spawn });
  try {
    const reading = { aboveBytes: 0, partBytes, budget: new PartBudget(3) };
    const large = await countLargeObject(store, header, item, signal, split, reading);
    const plain = await countObject(store, header, item, signal, (planned) => whole.openFile(planned));
    return { large, plain, splitCounts: sorted(await split.finish()), wholeCounts: sorted(await whole.finish()) };
  } finally {
    await split.close();
    await whole.close();
  }
}

const lines = (count: number) => Array.from({ length: count }, (_, index) => `Line ${index} it’s a naïve high-speed test, l’école ${'€'.repeat(index % 4)}`).join('\r\n');

describe('countLargeObject', () => {
  it('counts like a whole read, with ranges and pieces cutting through characters and CRLF', async () => {
    const body = Buffer.from(lines(1500));
    // 1,001 bytes: a prime-ish size that puts range boundaries inside characters and between CR and LF.
    const { large, plain, splitCounts, wholeCounts } = await bothWays(body, 1001);
    expect(large).toMatchObject({ kind: 'counted', words: countWords(body).total, bytes: body.length });
    expect(large.pieces).toBeGreaterThan(40);
    expect(plain).toMatchObject({ kind: 'counted', words: large.kind === 'counted' ? large.words : -1 });
    expect(splitCounts).toEqual(wholeCounts);
  });

  it('drops a UTF-8 BOM and decodes UTF-16 with a BOM for the whole object, as a whole read does', async () => {
    for (const body of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(500))]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines(500), 'utf16le')]),
    ]) {
      const { large, plain, splitCounts, wholeCounts } = await bothWays(body, 4096);
      expect(large.kind).toBe('counted');
      expect(large.pieces).toBeGreaterThan(5);
      expect(large).toMatchObject({ words: plain.kind === 'counted' ? plain.words : -1 });
      expect(splitCounts).toEqual(wholeCounts);
      expect(splitCounts.find(([word]) => word === 'naïve')?.[1]).toBe(500);
    }
  });

  it('skips an object with a NUL in its last part, leaving none of its pieces in the shard', async () => {
    const body = Buffer.concat([Buffer.from(lines(1000)), Buffer.from([0x0a, 0x00, 0x41])]);
    const { large, splitCounts } = await bothWays(body, 2048);
    expect(large).toMatchObject({ kind: 'skipped', reason: 'binary', detail: 'contains a NUL byte' });
    expect(splitCounts).toEqual([]);
  });

  it('counts a gzip or brotli object whole, never cut, as the text inside', async () => {
    const text = Buffer.from(lines(3000));
    const { splitCounts: textCounts } = await bothWays(text, 1024, 'whitespace');
    for (const body of [gzipSync(text), brotliCompressSync(text)]) {
      // Several 1 KiB parts, so the ranged read has something to cut.
      expect(body.length).toBeGreaterThan(2 * 1024);
      const { large, splitCounts, wholeCounts } = await bothWays(body, 1024, 'whitespace');
      expect(large).toMatchObject({ kind: 'counted', pieces: 1 });
      expect(splitCounts).toEqual(wholeCounts);
      expect(splitCounts).toEqual(textCounts);
    }
  });

  it('fails as a changed object when the object changed since planned', async () => {
    const header = headerOf('unicode');
    const item = await upload('changing.txt', Buffer.from(lines(200)));
    await store.put({ bucket: SOURCE, key: 'docs/changing.txt' }, Buffer.from(lines(201)));
    const counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 2, spawn: channelThreads().spawn });
    const error = await countLargeObject(store, header, item, new AbortController().signal, counter, {
      aboveBytes: 0,
      partBytes: 1024,
      budget: new PartBudget(2),
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await counter.close();
    expect(error).toBeInstanceOf(StageError);
    expect((error as StageError).exitCode).toBe(ExitCode.InputChanged);
  });
});
