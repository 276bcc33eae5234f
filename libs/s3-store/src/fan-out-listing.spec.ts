import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { flatKeys, generatedKeys, keysFromList, startListingServer, startLocalS3 } from '@wordbatch/local-s3';
import { createS3Client } from './client';
import { ObjectStore } from './object-store';
import { startAfterFor, type FanOutOptions } from './fan-out-listing';
import type { ListedObject } from './listed-object';

const bucket = 'listing';

async function collect(pages: AsyncIterable<readonly ListedObject[]>): Promise<ListedObject[]> {
  const all: ListedObject[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/** Pieces keys are made of: folders, the characters that sort right around `/`, escapes, and code points above U+FFFF. */
const PIECES = ['a', 'b', 'A', 'x/', 'y/', 'a/', '/', '-', '.', '0', ' ', '+', '%2F', 'é', '\uFFFD', '\u{1F600}', '\r', '!', '~'];
const key = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 7 }).map((pieces) => pieces.join(''));

const fanOut: fc.Arbitrary<FanOutOptions> = fc.record({
  concurrency: fc.integer({ min: 2, max: 6 }),
  depth: fc.integer({ min: 1, max: 3 }),
  width: fc.integer({ min: 1, max: 24 }),
  maxBuffered: fc.integer({ min: 0, max: 40 }),
});

/**
 * Pieces of flat keys (no `/`): characters next to each other in UTF-8 order, so that keys sit
 * right at and around the keys a split guesses, multi-byte ones on either side of the
 * surrogates, and U+10FFFF, which startAfterFor appends.
 */
const FLAT_PIECES = ['a', 'b', 'c', '`', 'A', 'F', '-', '.', '0', '1', '9', ' ', '~', 'é', '\u07FF', '\uD7FF', '\uE000', '\uFFFD', '\u{10000}', '\u{1F600}', '\u{10FFFF}'];
const flatPart = (maxLength: number) => fc.array(fc.constantFrom(...FLAT_PIECES), { minLength: 1, maxLength }).map((pieces) => pieces.join(''));
const flatKeySet = fc.oneof(
  fc.uniqueArray(flatPart(6), { maxLength: 300 }),
  // A long stem the probes have to look past, keys differing only in their last character or two.
  fc
    .tuple(fc.constantFrom('2026-11-30-12-00-00-', 'x'.repeat(40), 'é'.repeat(12), '\u{1F600}'.repeat(9)), fc.uniqueArray(flatPart(2), { maxLength: 80 }))
    .map(([stem, ends]) => ends.map((end) => `${stem}${end}`)),
  // Numbered, zero-padded, as many tools name their output.
  fc.integer({ min: 0, max: 400 }).map((count) => Array.from({ length: count }, (_, index) => `part-${String(index).padStart(5, '0')}.txt`)),
);

const inKeyOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('startAfterFor', () => {
  it('starts below `from` and above every key below it but those that begin with itself', () => {
    const key = fc.array(fc.constantFrom(...FLAT_PIECES, '/'), { minLength: 1, maxLength: 5 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(key, key, (from, other) => {
        const startAfter = startAfterFor(from);
        expect(inKeyOrder(startAfter, from)).toBeLessThan(0);
        // Any key listed after startAfter and below from begins with startAfter (is dropped, never missed).
        if (inKeyOrder(other, startAfter) > 0 && inKeyOrder(other, from) < 0) expect(other.startsWith(startAfter)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(startAfterFor('logs/2026-11-30-13')).toBe('logs/2026-11-30-12\u{10FFFF}');
    expect(startAfterFor('p/x/')).toBe('p/x.\u{10FFFF}');
    expect(startAfterFor('a\uE000')).toBe('a\uD7FF\u{10FFFF}');
    expect(startAfterFor('a\u{10000}')).toBe('a\uFFFF\u{10FFFF}');
    // Past S3's 1,024 bytes, it starts after `from` less its last character.
    expect(startAfterFor('k'.repeat(1022))).toBe('k'.repeat(1021));
  });
});

describe('fanned-out listing, against a ListObjectsV2 endpoint', () => {
  it('gives exactly the objects of a sequential listing, in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(key, { maxLength: 250 }),
        fanOut,
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('', 'a', 'x/', 'a/'),
        async (keys, options, pageSize, prefix) => {
          const server = await startListingServer({ bucket, keys: keysFromList(keys), pageSize });
          const store = new ObjectStore(createS3Client(server.env));
          try {
            const sequential = await collect(store.listPages({ bucket, key: prefix }));
            const fanned = await collect(store.listPages({ bucket, key: prefix }, { fanOut: options }));
            expect(fanned).toEqual(sequential);
            expect(sequential.map((object) => object.key)).toEqual(keys.filter((listed) => listed.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
          } finally {
            store.destroy();
            await server.close();
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('gives a flat listing exactly, split by probes, within its bound on requests', async () => {
    await fc.assert(
      fc.asyncProperty(flatKeySet, fanOut, fc.integer({ min: 1, max: 9 }), fc.constantFrom('', 'logs/', 'a'), async (names, options, pageSize, prefix) => {
        // Keys just outside the prefix too, on either side.
        const keys = [...names.map((name) => `${prefix}${name}`), 'logr~', 'logs', 'logs0', '`', 'b'];
        const server = await startListingServer({ bucket, keys: keysFromList(keys), pageSize });
        const store = new ObjectStore(createS3Client(server.env));
        try {
          const sequential = await collect(store.listPages({ bucket, key: prefix }));
          const sequentialRequests = server.counts.list;
          const fanned = await collect(store.listPages({ bucket, key: prefix }, { fanOut: options }));
          expect(fanned).toEqual(sequential);
          const expected = [...new Set(keys)].filter((listed) => listed.startsWith(prefix)).sort(inKeyOrder);
          expect(sequential.map((object) => object.key)).toEqual(expected);
          // The bound listFannedOut states: the sequential pages, the first range's last page, and what splits may spend.
          const bound = sequentialRequests + 1 + 2 * options.concurrency + Math.floor(expected.length / (4 * pageSize));
          expect(server.counts.list - sequentialRequests).toBeLessThanOrEqual(bound);
        } finally {
          store.destroy();
          await server.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('lists a flat prefix side by side, probing past the parts of keys that never change', async () => {
    // Access-log names: `2026-11-30-` is the same in every key, and so is the hour in a page.
    const keys = flatKeys(30_000, { prefix: 'logs/' });
    const server = await startListingServer({ bucket, keys, latencyMs: 20, pageSize: 100 });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      // As plan's defaults are in proportion: 8 parts a request, ranges of about 6 pages split further.
      const options = { concurrency: 8, depth: 3, width: 64, maxBuffered: 9_600 };
      const listed = await collect(store.listPages({ bucket, key: 'logs/' }, { fanOut: options }));
      expect(listed.map((object) => object.key)).toEqual(Array.from({ length: keys.count }, (_, index) => keys.keyAt(index)));
      expect(server.counts.maxInFlight).toBeLessThanOrEqual(8);
      // On average more than 2.5 of the 8 allowed in flight (1 when listed one page after another;
      // 3.5 with the machine's load average at 28, where CPU time decides part of it).
      expect(server.counts.listMs / server.counts.listSpanMs).toBeGreaterThanOrEqual(2.5);
      // 300 sequential pages; at most 1 + 2 × 8 + 30,000 / 400 more.
      expect(server.counts.list).toBeLessThanOrEqual(300 + 1 + 16 + 75);
    } finally {
      store.destroy();
      await server.close();
    }
  });

  it('lists a folder with too many objects of its own to walk as a range, split as it lists', async () => {
    const keys = [
      'data/a.txt',
      ...Array.from({ length: 12_000 }, (_, index) => `data/big/${String(index * 7).padStart(6, '0')}.log`),
      ...Array.from({ length: 3_000 }, (_, index) => `data/c/${index % 30}/${index}.txt`),
      'data/z',
    ];
    const server = await startListingServer({ bucket, keys: keysFromList(keys), latencyMs: 5, pageSize: 100 });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      const sequential = await collect(store.listPages({ bucket, key: 'data/' }));
      const sequentialRequests = server.counts.list;
      const fanned = await collect(store.listPages({ bucket, key: 'data/' }, { fanOut: { concurrency: 6, depth: 2, width: 12, maxBuffered: 1_200 } }));
      expect(fanned).toEqual(sequential);
      expect(sequential).toHaveLength(keys.length);
      expect(server.counts.maxInFlight).toBeGreaterThan(3);
      // The walk lists 101 pages of data/big/ before it gives up on walking it, and data/'s and data/c/'s folders.
      expect(server.counts.list - sequentialRequests).toBeLessThan(2 * sequentialRequests);
    } finally {
      store.destroy();
      await server.close();
    }
  });

  it('lists side by side, with about one request per part beyond the sequential pages', async () => {
    const server = await startListingServer({ bucket, keys: generatedKeys(5_000, { prefix: 'data/', foldersPerLevel: 10 }), latencyMs: 20, pageSize: 100 });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      const sequential = await collect(store.listPages({ bucket, key: 'data/' }));
      const sequentialRequests = server.counts.list;
      expect(server.counts.maxInFlight).toBe(1);
      const fanned = await collect(store.listPages({ bucket, key: 'data/' }, { fanOut: { concurrency: 8, depth: 2, width: 16, maxBuffered: 5_000 } }));
      expect(fanned).toEqual(sequential);
      expect(sequential).toHaveLength(5_000);
      expect(server.counts.maxInFlight).toBeGreaterThan(4);
      expect(server.counts.maxInFlight).toBeLessThanOrEqual(8);
      // 50 sequential pages; the walk adds the first page, the 11 folders it opens, then a page per range it ends (20 ranges).
      expect(server.counts.list - sequentialRequests).toBeLessThanOrEqual(sequentialRequests + 2 + 10 + 20);
    } finally {
      store.destroy();
      await server.close();
    }
  });

  it('keeps the requests in flight busy when folders hold more keys than may wait ahead of the reader', async () => {
    // 100 leaf folders of 80 keys, pages of 40, and 800 objects allowed to wait ahead of the
    // reader: ranges of hundreds of keys each (a page after another) would leave most of the
    // 8 requests allowed idle. Pages are small and slow, so that CPU time does not decide it.
    const keys = generatedKeys(8_000, { prefix: 'data/', foldersPerLevel: 10 });
    const server = await startListingServer({ bucket, keys, latencyMs: 100, pageSize: 40 });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      const listed = await collect(store.listPages({ bucket, key: 'data/' }, { fanOut: { concurrency: 8, depth: 2, width: 16, maxBuffered: 800 } }));
      expect(listed.map((object) => object.key)).toEqual(Array.from({ length: keys.count }, (_, index) => keys.keyAt(index)));
      // On average at least 4 of the 8 allowed were in flight (about 2 with a few large ranges, 6 here when idle).
      expect(server.counts.listMs / server.counts.listSpanMs).toBeGreaterThanOrEqual(4);
      // The 200 sequential pages, the walk's first page and the 11 folders it opens, and nothing more.
      expect(server.counts.list).toBe(200 + 1 + 11);
    } finally {
      store.destroy();
      await server.close();
    }
  });

  it.each([
    ['flat', flatKeys(40_000, { prefix: 'data/' })],
    ['in folders', generatedKeys(40_000, { prefix: 'data/', foldersPerLevel: 10 })],
  ])('stops listing ahead of a reader that stops within 2 × maxBuffered objects (%s)', async (_, keys) => {
    const server = await startListingServer({ bucket, keys, pageSize: 100 });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      const options = { concurrency: 4, depth: 2, width: 32, maxBuffered: 1_000 };
      let read = 0;
      for await (const page of store.listPages({ bucket, key: 'data/' }, { fanOut: options })) {
        read += page.length;
        if (read < 5_000) continue;
        // The reader stops a while: the listing fills what may wait and stops.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const { list, listedKeys } = server.counts;
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(server.counts.list).toBe(list);
        // Pages of probes and the parts of pages past a range's end count as listed too: at
        // most a page for each request splitting may spend.
        const splitting = 2 * options.concurrency + Math.floor(listedKeys / (4 * 100));
        expect(listedKeys - read).toBeLessThanOrEqual(2 * options.maxBuffered + (options.concurrency + splitting) * 100);
        expect(listedKeys - read).toBeGreaterThan(options.maxBuffered / 2);
        break;
      }
    } finally {
      store.destroy();
      await server.close();
    }
  });

  it('stops every request when the reader stops early', async () => {
    const server = await startListingServer({ bucket, keys: generatedKeys(5_000, { prefix: '', foldersPerLevel: 10 }), latencyMs: 5, pageSize: 50 });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      for await (const page of store.listPages({ bucket, key: '' }, { fanOut: { concurrency: 4, depth: 2, width: 8, maxBuffered: 200 } })) {
        expect(page.length).toBeGreaterThan(0);
        break;
      }
      // The server counts a request after its 5 ms latency: those sent before the stop are counted by then.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const afterStop = server.counts.list;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.counts.list).toBe(afterStop);
    } finally {
      store.destroy();
      await server.close();
    }
  });
});

describe('fanned-out listing, against the embedded S3 server', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'wordbatch-fan-out-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('matches its sequential listing over more than a page of keys in folders', async () => {
    // Uploading a thousand objects takes a while on a loaded machine.
    const server = await startLocalS3({ directory, buckets: [bucket] });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      // Folders upper case and files lower case: s3rver lists in file-system order, which is
      // S3's order only when no folder name is a prefix of a file name.
      const keys: string[] = [];
      for (const top of ['A', 'B', 'BC', 'D'])
        for (const sub of ['E', 'F', 'G']) for (let file = 0; file < 90; file++) keys.push(`tree/${top}/${sub}/f${String(file).padStart(3, '0')}.txt`);
      keys.push('tree/a.txt', 'tree/z.txt', 'tree/B/b.txt');
      for (let next = 0; next < keys.length; next += 64) {
        await Promise.all(keys.slice(next, next + 64).map((name) => store.put({ bucket, key: name }, name)));
      }
      const sequential = await collect(store.listPages({ bucket, key: 'tree/' }));
      const fanned = await collect(store.listPages({ bucket, key: 'tree/' }, { fanOut: { concurrency: 4, depth: 2, width: 6, maxBuffered: 100 } }));
      expect(sequential).toHaveLength(keys.length);
      expect(fanned).toEqual(sequential);
    } finally {
      store.destroy();
      await server.close();
    }
  }, 180_000);

  it('matches its sequential listing over a flat prefix of three pages, split by probes', async () => {
    const server = await startLocalS3({ directory, buckets: [bucket] });
    const store = new ObjectStore(createS3Client(server.env));
    try {
      // Hex names in no particular order of upload, as UUID-named objects are.
      const keys = Array.from({ length: 2_100 }, (_, index) => `flat/${((index * 40_503) % 65_536).toString(16).padStart(4, '0')}.log`);
      for (let next = 0; next < keys.length; next += 64) {
        await Promise.all(keys.slice(next, next + 64).map((name) => store.put({ bucket, key: name }, name)));
      }
      const sequential = await collect(store.listPages({ bucket, key: 'flat/' }));
      const before = store.requests.list;
      // Ranges of 5 keys wanted: the first range splits after its second page.
      const fanned = await collect(store.listPages({ bucket, key: 'flat/' }, { fanOut: { concurrency: 4, depth: 2, width: 8, maxBuffered: 40 } }));
      expect(sequential.map((object) => object.key)).toEqual([...new Set(keys)].sort());
      expect(fanned).toEqual(sequential);
      // More requests than the 3 pages: the split's probes and ranges were listed.
      expect(store.requests.list - before).toBeGreaterThan(3);
    } finally {
      store.destroy();
      await server.close();
    }
  }, 180_000);
});
