import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import type { PlanHeader } from '@wordbatch/plan-schema';
import { withObjectStore, type ObjectStore } from '@wordbatch/s3-store';
import { serializeCountLines, WordCounts } from '@wordbatch/word-count';
import { mergeShardResults } from './merge-shard-results';

/** Starts its own s3rver (@wordbatch/local-s3) in a temporary folder. */
const BUCKET = 'merge-rounds';
const SHARDS = 7;
let server: LocalS3;
let directory: string;

const plan = (id: string, shardCount: number): PlanHeader =>
  ({
    version: 1,
    kind: 'wordbatch-plan',
    id,
    createdAt: '2026-01-01T00:00:00.000Z',
    source: { bucket: 'src', key: 'docs/' },
    destination: { bucket: BUCKET, key: 'out/' },
    shardLists: { bucket: BUCKET, key: `plans/${id}/` },
    settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
    shardCount,
    totals: { files: shardCount, bytes: 100 },
  });

function resultHeader(planId: string, shardIndex: number, counts: WordCounts) {
  const stats = { files: 1, bytes: 10, words: counts.total, distinctWords: counts.size, skipped: [] };
  return JSON.stringify({ version: 1, kind: 'wordbatch-shard-result', planId, shardIndex, tokenizer: 'unicode', stats });
}

const resultKey = (planId: string, shardIndex: number) => `out/${planId}/shards/shard-${String(shardIndex).padStart(5, '0')}.tsv`;

/** Shard `shardIndex`'s words: overlapping ranges of w0..w299 and a few non-ASCII words. */
function shardCounts(shardIndex: number): WordCounts {
  const counts = new WordCounts();
  for (let word = shardIndex * 20; word < shardIndex * 20 + 150; word++) counts.add(`w${word}`, 1 + ((word * 7 + shardIndex) % 5));
  counts.add(['é', 'ß', '😀', 'z'][shardIndex % 4], shardIndex + 1);
  return counts;
}

async function mergeAll(store: ObjectStore, planId: string, shardIndices: number[], atOnce?: number) {
  const words: [string, number][] = [];
  const { stats, distinctWords } = await mergeShardResults(
    { store, signal: new AbortController().signal },
    plan(planId, SHARDS),
    shardIndices,
    (word, length, count) => words.push([word.toString('utf8', 0, length), count]),
    atOnce,
  );
  return { words, stats, distinctWords };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-merge-rounds-'));
  server = await startLocalS3({ directory, buckets: [BUCKET] });
  await withObjectStore(server.env, async (store) => {
    for (let shardIndex = 0; shardIndex < SHARDS; shardIndex++) {
      const counts = shardCounts(shardIndex);
      const body = `${resultHeader('good', shardIndex, counts)}\n${[...serializeCountLines(counts)].join('')}`;
      await store.put({ bucket: BUCKET, key: resultKey('good', shardIndex) }, body);
    }
    await store.put({ bucket: BUCKET, key: resultKey('bad', 0) }, `${resultHeader('bad', 0, shardCounts(0))}\na\t1\nb\t2\n`);
    await store.put({ bucket: BUCKET, key: resultKey('bad', 1) }, `${resultHeader('bad', 1, shardCounts(1))}\na\t1\nc\t1\nb\t2\n`);
    await store.put({ bucket: BUCKET, key: resultKey('bad', 2) }, `${resultHeader('bad', 2, shardCounts(2))}\na\t1\nb\t2`);
  });
});

afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('mergeShardResults', () => {
  it('sums every word across the shard results, in code-point order, with their stats', async () => {
    const everything = new WordCounts();
    for (let shardIndex = 0; shardIndex < SHARDS; shardIndex++) everything.mergeFrom(shardCounts(shardIndex));
    const expected = [...serializeCountLines(everything)].join('');
    await withObjectStore(server.env, async (store) => {
      const merged = await mergeAll(store, 'good', [...Array(SHARDS).keys()]);
      expect(merged.words.map(([word, count]) => `${word}\t${count}\n`).join('')).toBe(expected);
      expect(merged.distinctWords).toBe(everything.size);
      expect(merged.stats.map((stats) => stats.distinctWords)).toEqual([...Array(SHARDS).keys()].map((index) => shardCounts(index).size));
    });
  });

  it.each([2, 3, 4, 6])('gives the same words merging %i shard results at a time, in rounds', async (atOnce) => {
    await withObjectStore(server.env, async (store) => {
      const all = await mergeAll(store, 'good', [...Array(SHARDS).keys()]);
      const inRounds = await mergeAll(store, 'good', [...Array(SHARDS).keys()], atOnce);
      expect(inRounds.words).toEqual(all.words);
      expect(inRounds.distinctWords).toBe(all.distinctWords);
      expect(inRounds.stats).toEqual(all.stats);
    });
  });

  it('merges no shard results into nothing, and refuses to merge fewer than two at a time', async () => {
    await withObjectStore(server.env, async (store) => {
      expect(await mergeAll(store, 'good', [])).toEqual({ words: [], stats: [], distinctWords: 0 });
      await expect(mergeAll(store, 'good', [0, 1], 1)).rejects.toThrow(RangeError);
    });
  });

  it('rejects a shard result out of word order or cut short, naming it and the line', async () => {
    await withObjectStore(server.env, async (store) => {
      await expect(mergeAll(store, 'bad', [0, 1])).rejects.toThrow(UsageError);
      await expect(mergeAll(store, 'bad', [0, 1])).rejects.toThrow(
        `shard result s3://${BUCKET}/${resultKey('bad', 1)}: line 3: words out of order (a shard result is sorted by word)`,
      );
      await expect(mergeAll(store, 'bad', [0, 2])).rejects.toThrow(
        `shard result s3://${BUCKET}/${resultKey('bad', 2)}: line 2: no final newline (is the body truncated?)`,
      );
    });
  });

  it('rejects a shard result of another plan', async () => {
    await withObjectStore(server.env, async (store) => {
      await store.put({ bucket: BUCKET, key: resultKey('mixed', 0) }, `${resultHeader('other', 0, shardCounts(0))}\na\t1\n`);
      await expect(mergeAll(store, 'mixed', [0])).rejects.toThrow(/belongs to plan other shard 0, not plan mixed shard 0/);
    });
  });
});
