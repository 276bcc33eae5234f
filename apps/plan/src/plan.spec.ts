import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '@wordbatch/cli';
import { ExitCode, InputChangedError, UsageError } from '@wordbatch/errors';
import { estimateCost, formatCostEstimate } from '@wordbatch/cost';
import { generatedKeys, startListingServer, startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { parsePlanHeader, parseShardList } from '@wordbatch/plan-schema';
import { parseS3Path } from '@wordbatch/s3-path';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { parsePlanCommand as parsePlanOptions } from '@wordbatch/stage-commands';
import { formatPlanNotes } from './notes';
import { formatPlanSummary, runPlan } from './plan';

const SRC = 'plan-src';
const DST = 'plan-dst';
let server: LocalS3;
let store: ObjectStore;
let directory: string;
const logger = createLogger({ stage: 'plan', env: { LOG_LEVEL: 'silent' }, destination: new PassThrough() });
const deps = () => ({ store, logger, signal: new AbortController().signal, now: () => new Date('2026-01-02T03:04:05Z') });

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-plan-'));
  server = await startLocalS3({ directory, buckets: [SRC, DST] });
  store = new ObjectStore(createS3Client(server.env));
  const objects: Array<[string, string]> = [
    ['docs/', ''],
    ['docs/a.txt', 'a'.repeat(100)],
    ['docs/b.md', 'b'.repeat(300)],
    ['docs/sub/', ''],
    ['docs/sub/docs/c.txt', 'c'.repeat(200)],
    ['docs/sub/d.log', 'd'.repeat(50)],
    ['docs2/outside.txt', 'not under docs/'],
  ];
  for (const [key, body] of objects) await store.put({ bucket: SRC, key }, body);
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

function options(extra: string[] = [], planName = 'p1') {
  return parsePlanOptions([
    '--source', `s3://${SRC}/docs`,
    '--destination', `s3://${DST}/out/`,
    '--plan', `s3://${DST}/plans/${planName}.json`,
    ...extra,
  ]);
}

async function readJson(key: string): Promise<string> {
  return store.readText({ bucket: DST, key });
}

describe('runPlan', () => {
  it('lists the folder, skips folder markers and names items relative to the prefix only', async () => {
    const summary = await runPlan(options(['--shards', '2']), deps());
    expect(summary.header.totals).toEqual({ files: 4, bytes: 650 });
    const lists = await Promise.all([0, 1].map(async (index) => parseShardList(await readJson(`plans/p1/shard-0000${index}.json`))));
    const names = lists.flatMap((list) => list.items.map((item) => item.name)).sort();
    expect(names).toEqual(['a.txt', 'b.md', 'sub/d.log', 'sub/docs/c.txt']);
    expect(lists.map((list) => list.bytes)).toEqual([350, 300]);
    expect(lists.every((list) => list.planId === summary.header.id)).toBe(true);
  });

  it('writes the header last, and a copy under the results folder', async () => {
    const summary = await runPlan(options(['--shards', '3'], 'p2'), deps());
    const header = parsePlanHeader(await readJson('plans/p2.json'));
    expect(header).toEqual(summary.header);
    expect(parsePlanHeader(await readJson(`out/${header.id}/plan.json`))).toEqual(header);
    expect(header).toMatchObject({
      source: { bucket: SRC, key: 'docs/' },
      destination: { bucket: DST, key: 'out/' },
      shardLists: { bucket: DST, key: 'plans/p2/' },
      shardCount: 3,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    // plan's requests, for the run's actuals (this store is shared by the tests, so at least): its listing, 3 shard lists, the copy and the header.
    expect(header.requests?.list).toBeGreaterThan(0);
    expect(header.requests?.put).toBeGreaterThanOrEqual(5);
  });

  it('gives the same id for the same input and a new one when an object changes', async () => {
    const first = await runPlan(options([], 'same'), deps());
    const second = await runPlan(options([], 'same'), deps());
    expect(second.header.id).toBe(first.header.id);
    await store.put({ bucket: SRC, key: 'docs/a.txt' }, 'changed');
    const third = await runPlan(options([], 'same'), deps());
    expect(third.header.id).not.toBe(first.header.id);
    await store.put({ bucket: SRC, key: 'docs/a.txt' }, 'a'.repeat(100));
  });

  it('filters with --include and --exclude', async () => {
    const summary = await runPlan(options(['--include', '*.txt', '--include', '*.md', '--exclude', 'sub/*'], 'filtered'), deps());
    expect(summary.header.totals.files).toBe(2);
    expect(summary.filteredOut).toBe(2);
    expect(formatPlanSummary(summary)).toContain('files        2 (2 filtered out)');
  });

  it("states the run's estimated cost from the plan's own totals and LIST requests", async () => {
    const summary = await runPlan(options(['--shards', '2'], 'costed'), deps());
    const text = formatPlanSummary(summary);
    const estimate = estimateCost({ objects: 4, bytes: 650, shards: 2, listRequests: summary.header.requests?.list });
    expect(summary.header.requests?.list).toBeGreaterThan(0);
    expect(text).toContain(formatCostEstimate(estimate).join('\n'));
    expect(text).toMatch(/requests {5}LIST \d+, GET 11, PUT 7: \$/);
  });

  it('warns on stderr, without failing, when the source is empty or the patterns match nothing, and not otherwise', async () => {
    const unmatched = await runPlan(options(['--include', '*.pdf'], 'unmatched'), deps());
    expect(unmatched.header.totals.files).toBe(0);
    expect(formatPlanNotes(unmatched)).toBe(
      `wordbatch plan: warning: none of the 4 objects under s3://${SRC}/docs/ matched --include/--exclude: the run will count nothing\n`,
    );
    const empty = await runPlan(parsePlanOptions(['--source', `s3://${SRC}/nothing-here/`, '--destination', `s3://${DST}/out/`, '--plan', `s3://${DST}/plans/empty.json`]), deps());
    expect(formatPlanNotes(empty)).toBe(`wordbatch plan: warning: no objects under s3://${SRC}/nothing-here/: the run will count nothing\n`);
    expect(formatPlanNotes(await runPlan(options([], 'full'), deps()))).toBe('');
  });

  it('sizes shards by --shard-bytes, one per file at most', async () => {
    expect((await runPlan(options(['--shard-bytes', '200'], 'sized'), deps())).header.shardCount).toBe(4);
    expect((await runPlan(options(['--shard-bytes', '1k'], 'one'), deps())).header.shardCount).toBe(1);
  });

  it('refuses a destination or plan inside the source before listing', async () => {
    expect(() => parsePlanOptions(['--source', `s3://${SRC}/docs`, '--destination', `s3://${SRC}/docs/out/`, '--plan', `s3://${DST}/p.json`])).toThrow(UsageError);
    expect(() => parsePlanOptions(['--source', `s3://${SRC}/`, '--destination', `s3://${DST}/out/`, '--plan', `s3://${SRC}/p.json`])).toThrow(
      /--plan s3:\/\/plan-src\/p\.json lies inside the source/,
    );
  });

  it('refuses --per-file when an object has no writable per-file key', async () => {
    // A 1,000-byte name fits a source key but not `out/<plan id>/files/<name>` (over 1,024 bytes).
    const longName = Array.from({ length: 5 }, () => 'n'.repeat(199)).join('/');
    await store.put({ bucket: SRC, key: `long/${longName}` }, 'x');
    const long = parsePlanOptions(['--source', `s3://${SRC}/long/`, '--destination', `s3://${DST}/out/`, '--plan', `s3://${DST}/plans/long.json`]);
    await expect(runPlan({ ...long, perFile: true }, deps())).rejects.toThrow(/--per-file: 1 object\(s\) have no writable per-file key, first "n+\/.*over S3's 1024/);
    expect((await runPlan(long, deps())).header.totals.files).toBe(1);
  });

  describe('from a key list', () => {
    const keysOptions = (list: string, planName: string, extra: string[] = []) =>
      parsePlanOptions(['--keys', `s3://${DST}/lists/${list}`, '--destination', `s3://${DST}/out/`, '--plan', `s3://${DST}/plans/${planName}.json`, ...extra]);

    it('plans the objects it names as the prefix run plans them, named from their common folder', async () => {
      await store.put({ bucket: DST, key: 'lists/docs.csv' }, ['docs/a.txt', 'docs/b.md', 'docs/sub/d.log', 'docs/sub/docs/c.txt'].map((key) => `${SRC},${key}`).join('\n'));
      const fromList = await runPlan(keysOptions('docs.csv', 'from-list', ['--shards', '2']), deps());
      const fromPrefix = await runPlan(options(['--shards', '2'], 'from-list'), deps());
      // The same plan, made with other requests.
      expect({ ...fromList.header, requests: undefined }).toEqual({ ...fromPrefix.header, requests: undefined });
    });

    it('fails with exit 3 naming the missing objects, or lists them as skipped with --allow-missing', async () => {
      await store.put({ bucket: DST, key: 'lists/gaps.jsonl' }, ['docs/a.txt', 'docs/gone-1.txt', 'docs/gone-2.txt'].map((key) => JSON.stringify({ bucket: SRC, key })).join('\n'));
      const refused = runPlan(keysOptions('gaps.jsonl', 'gaps'), deps());
      await expect(refused).rejects.toThrow(InputChangedError);
      await expect(runPlan(keysOptions('gaps.jsonl', 'gaps'), deps())).rejects.toThrow(
        `--keys s3://${DST}/lists/gaps.jsonl names 2 object(s) that do not exist: "s3://${SRC}/docs/gone-1.txt", "s3://${SRC}/docs/gone-2.txt"; fix the list, or plan with --allow-missing`,
      );
      await expect(store.head({ bucket: DST, key: 'plans/gaps.json' })).resolves.toBeUndefined();
      const summary = await runPlan(keysOptions('gaps.jsonl', 'gaps', ['--allow-missing', '--shards', '2']), deps());
      expect(summary.header.totals.files).toBe(1);
      expect(formatPlanSummary(summary)).toContain('files        1 (2 missing, listed as skipped)');
      expect(formatPlanSummary(summary)).toContain(`  input        --keys s3://${DST}/lists/gaps.jsonl\n  source       s3://${SRC}/docs/\n`);
      const lists = await Promise.all([0, 1].map(async (index) => parseShardList(await readJson(`plans/gaps/shard-0000${index}.json`))));
      expect(lists.map((list) => list.skipped)).toEqual([
        [{ name: 'gone-1.txt', reason: 'missing', detail: 'named by the input, not found when planned' }],
        [{ name: 'gone-2.txt', reason: 'missing', detail: 'named by the input, not found when planned' }],
      ]);
      expect(ExitCode.InputChanged).toBe(3);
    });

    it('refuses a destination inside the folder the list names', async () => {
      await store.put({ bucket: DST, key: 'lists/inside.csv' }, `${DST},out/x/a.txt\n${DST},out/y/b.txt\n`);
      await expect(runPlan(keysOptions('inside.csv', 'inside'), deps())).rejects.toThrow(/--destination s3:\/\/plan-dst\/out\/ overlaps the source s3:\/\/plan-dst\/out\//);
    });
  });

  it('prints a summary with the array size to submit', async () => {
    const summary = await runPlan(options(['--shards', '1'], 'single'), deps());
    const text = formatPlanSummary(summary);
    expect(text).toContain(`plan         s3://${DST}/plans/single.json`);
    expect(text).toContain('array size 1 (a single job: Batch arrays start at 2)');
    expect(parseS3Path(summary.plan).key).toBe('plans/single.json');
  });
});

describe('runPlan over many keys', () => {
  it('plans the same items in the same order listing side by side as listing sequentially, and writes every shard list', async () => {
    const listing = await startListingServer({ bucket: 'big', keys: generatedKeys(12_000, { prefix: 'data/', foldersPerLevel: 12 }), pageSize: 250, latencyMs: 5 });
    const bigStore = new ObjectStore(createS3Client(listing.env));
    const planFlags = (extra: string[]) =>
      parsePlanOptions(['--source', 's3://big/data/', '--destination', 's3://big/out/', '--plan', 's3://big/plans/p.json', '--shards', '40', ...extra]);
    try {
      const sequential = await runPlan(planFlags(['--list-concurrency', '1']), { ...deps(), store: bigStore });
      const sequentialRequests = listing.counts.list;
      const putsBefore = listing.counts.put;
      const fanned = await runPlan(planFlags(['--list-concurrency', '8', '--list-depth', '2']), { ...deps(), store: bigStore });
      // The id digests every item in order: equal ids, equal listings.
      expect({ ...fanned.header, requests: undefined }).toEqual({ ...sequential.header, requests: undefined });
      expect(fanned.header.requests?.list ?? 0).toBeGreaterThan(sequential.header.requests?.list ?? 0);
      expect(fanned.header.totals.files).toBe(12_000);
      expect(listing.counts.maxInFlight).toBeGreaterThan(1);
      // 48 pages; the walk: the first page, the root and its 12 folders, then 60 ranges, each of which may end a page late.
      expect(listing.counts.list - sequentialRequests).toBeLessThanOrEqual(sequentialRequests + 1 + 13 + 60);
      // 40 shard lists, the header copy and the header.
      expect(listing.counts.put - putsBefore).toBe(42);
    } finally {
      bigStore.destroy();
      await listing.close();
    }
  });
});
