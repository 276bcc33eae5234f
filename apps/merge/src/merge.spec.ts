import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '@wordbatch/cli';
import { IncompleteResultsError, UsageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { serializeCountLines, WordCounts } from '@wordbatch/word-count';
import { formatMergeNotes, formatMergeResult } from './format';
import { formatIndexRanges, runMerge } from './merge';
import { parseMergeCommand as parseMergeOptions } from '@wordbatch/stage-commands';

const DST = 'merge-dst';
let server: LocalS3;
let store: ObjectStore;
let directory: string;
const logger = createLogger({ stage: 'merge', env: { LOG_LEVEL: 'silent' }, destination: new PassThrough() });
const deps = () => ({ store, logger, signal: new AbortController().signal });

function header(id: string, folder: string, shardCount: number) {
  return {
    version: 1,
    kind: 'wordbatch-plan',
    id,
    createdAt: '2026-01-01T00:00:00.000Z',
    source: 's3://merge-src/docs/',
    destination: `s3://${DST}/${folder}/`,
    shardLists: `s3://${DST}/plans/${id}/`,
    settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
    shardCount,
    totals: { files: shardCount, bytes: 100 },
  };
}

/** Writes a plan and the shard results migrate would have written, from word lists. */
async function writeRun(id: string, folder: string, shards: Array<Record<string, number> | undefined>) {
  const plan = { ...header(id, folder, shards.length), requests: { list: 4, put: shards.length + 2 } };
  await store.put({ bucket: DST, key: `plans/${id}.json` }, JSON.stringify(plan));
  await store.put({ bucket: DST, key: `${folder}/${id}/plan.json` }, JSON.stringify(plan));
  for (const [shardIndex, words] of shards.entries()) {
    if (words === undefined) continue;
    const counts = new WordCounts();
    for (const [word, count] of Object.entries(words)) counts.add(word, count);
    const resultHeader = {
      version: 1,
      kind: 'wordbatch-shard-result',
      planId: id,
      shardIndex,
      tokenizer: 'unicode',
      stats: { files: 1, bytes: 10, words: counts.total, distinctWords: counts.size, skipped: shardIndex === 0 ? [{ name: 'x.bin', reason: 'binary' }] : [] },
    };
    const body = `${JSON.stringify(resultHeader)}\n${[...serializeCountLines(counts)].join('')}`;
    await store.put({ bucket: DST, key: `${folder}/${id}/shards/shard-${String(shardIndex).padStart(5, '0')}.tsv` }, body);
    // The last shard's timing is missing, as when its write failed: the actuals say how many were read.
    if (shardIndex === shards.length - 1) continue;
    const timing = {
      version: 2,
      kind: 'wordbatch-shard-timing',
      planId: id,
      shardIndex,
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 90_000 * (shardIndex + 1),
      countingThreads: 2,
      requests: { list: 0, get: 3, put: 1 },
    };
    await store.put({ bucket: DST, key: `${folder}/${id}/timings/shard-${String(shardIndex).padStart(5, '0')}.json` }, JSON.stringify(timing));
  }
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-merge-'));
  server = await startLocalS3({ directory, buckets: [DST] });
  store = new ObjectStore(createS3Client(server.env));
  await writeRun('full', 'out-full', [
    { apple: 5, banana: 2, the: 9, and: 4, ox: 7 },
    { apple: 1, banana: 1, cherry: 3, 'dürüm': 3 },
    { cherry: 1, banana: 3 },
  ]);
  await writeRun('gaps', 'out-gaps', [{ apple: 3 }, undefined, { apple: 1 }, undefined, undefined]);
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('runMerge', () => {
  it('sums every shard and applies the seed filter', async () => {
    const result = await runMerge(parseMergeOptions(['--source', `s3://${DST}/out-full/`]), deps());
    expect(result.words).toEqual([
      { word: 'apple', count: 6 },
      { word: 'banana', count: 6 },
      { word: 'cherry', count: 4 },
      { word: 'dürüm', count: 3 },
    ]);
    expect(result.totals).toEqual({
      shards: 3,
      shardsMerged: 3,
      files: 3,
      bytes: 30,
      words: 39,
      distinctWords: 7,
      skippedFiles: 1,
      skippedByReason: { binary: 1, 'compressed-unsupported': 0, 'corrupt-compressed': 0, 'too-large-after-expansion': 0, 'invalid-encoding': 0, missing: 0 },
      objectsWithInvalidSequences: 0,
      invalidSequences: 0,
    });
    expect(formatMergeNotes(result)).toBe(`wordbatch merge: 1 objects skipped (binary 1): listed under "skipped" in ${result.result}\n`);
    expect(result.partial).toBe(false);
    const stored = JSON.parse(await store.readText({ bucket: DST, key: 'out-full/full/result.json' }));
    expect(stored).toEqual(JSON.parse(JSON.stringify(result)));
    expect(result.actuals).toBe(`s3://${DST}/out-full/full/actuals.json`);
  });

  it('writes the run actual figures beside result.json: requests per stage, vCPU-hours from the shard timings, dollars', async () => {
    // A store of its own, so that its request counts are merge's alone.
    const own = new ObjectStore(createS3Client(server.env));
    await runMerge(parseMergeOptions(['--source', `s3://${DST}/out-full/`]), { ...deps(), store: own });
    own.destroy();
    const actuals = JSON.parse(await store.readText({ bucket: DST, key: 'out-full/full/actuals.json' }));
    expect(actuals).toMatchObject({ kind: 'wordbatch-run-actuals', planId: 'full', objects: 3, bytes: 30, shards: 3, shardTimings: 2, childDurationsMs: [90_000, 180_000] });
    expect(actuals.requests.plan).toEqual({ list: 4, put: 5 });
    expect(actuals.requests.migrate).toEqual({ list: 0, get: 6, put: 2 });
    // merge's own: it listed, read and will have written actuals.json and result.json.
    expect(actuals.requests.merge.put).toBe(2);
    expect(actuals.requests.merge.list).toBeGreaterThanOrEqual(2);
    // Each child billed its time plus a minute's overhead, on 2 vCPUs: (150 s + 240 s) x 2 / 3600.
    expect(actuals.vcpuHours).toBeCloseTo((390 * 2) / 3600, 10);
    expect(actuals.dollars.total).toBeCloseTo(actuals.dollars.compute + actuals.dollars.requests, 12);
    expect(actuals.prices.pricedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Priced as the estimate was, with --price over the published prices.
    const repriced = new ObjectStore(createS3Client(server.env));
    await runMerge(parseMergeOptions(['--source', `s3://${DST}/out-full/`, '--price', 'vcpu-hour=1', '--price', 'gb-hour=0']), { ...deps(), store: repriced });
    repriced.destroy();
    const priced = JSON.parse(await store.readText({ bucket: DST, key: 'out-full/full/actuals.json' }));
    expect(priced.vcpuHours).toBeCloseTo(actuals.vcpuHours, 10);
    expect(priced.dollars.compute).toBeCloseTo(actuals.vcpuHours, 10);
    expect(priced.prices).toMatchObject({ vcpuHour: 1, gbHour: 0, source: expect.stringContaining('--price') });
  });

  it('honours --top, --min-length, --min-count and an empty stop list', async () => {
    const options = parseMergeOptions(['--source', `s3://${DST}/out-full/`, '--top', '2', '--min-length', '1', '--min-count', '1', '--stopwords', '']);
    expect((await runMerge(options, deps())).words).toEqual([
      { word: 'the', count: 9 },
      { word: 'ox', count: 7 },
    ]);
  });

  it('names the missing shards, or merges what is there with --allow-partial', async () => {
    const strict = parseMergeOptions(['--source', `s3://${DST}/out-gaps/`]);
    await expect(runMerge(strict, deps())).rejects.toThrow(IncompleteResultsError);
    await expect(runMerge(strict, deps())).rejects.toThrow('3 of 5 shard results missing (shards 1, 3-4)');
    const partial = await runMerge(parseMergeOptions(['--source', `s3://${DST}/out-gaps/`, '--allow-partial', '--min-count', '1']), deps());
    expect(partial).toMatchObject({ partial: true, missingShards: [1, 3, 4], words: [{ word: 'apple', count: 4 }] });
    expect(formatMergeResult(partial, 'table')).toContain('PARTIAL: shard results 1, 3-4 of 5 were missing');
  });

  it('checks that --plan belongs to --source', async () => {
    const options = parseMergeOptions(['--source', `s3://${DST}/out-gaps/`, '--plan', `s3://${DST}/plans/full.json`]);
    await expect(runMerge(options, deps())).rejects.toThrow(UsageError);
  });
});

describe('output formats', () => {
  const result = {
    planId: 'p',
    partial: false,
    missingShards: [],
    totals: {
      shards: 1,
      shardsMerged: 1,
      files: 1,
      bytes: 3,
      words: 7,
      distinctWords: 2,
      skippedFiles: 0,
      skippedByReason: { binary: 0, 'compressed-unsupported': 0, 'corrupt-compressed': 0, 'too-large-after-expansion': 0, 'invalid-encoding': 0, missing: 0 },
      objectsWithInvalidSequences: 0,
      invalidSequences: 0,
    },
    settings: { tokenizer: 'whitespace', encoding: 'utf-8', top: 100, minLength: 3, minCount: 3, stopwords: [] },
    skipped: [],
    invalidText: [],
    words: [
      { word: 'größe', count: 4 },
      { word: 'say,"hi"', count: 3 },
    ],
    result: 's3://b/out/p/result.json',
    actuals: 's3://b/out/p/actuals.json',
  };

  it('prints the seed table with aligned columns', () => {
    const lines = formatMergeResult(result, 'table').split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '┌──────────┬───────┐',
      '│ Word     │ Count │',
      '├──────────┼───────┤',
      '│ größe    │     4 │',
      '│ say,"hi" │     3 │',
      '└──────────┴───────┘',
    ]);
  });

  it('prints a table of any --top (300,000 rows) with columns as wide as the widest row', () => {
    const words = Array.from({ length: 300_000 }, (_, index) => ({ word: `w${index}`, count: 300_000 - index }));
    const lines = formatMergeResult({ ...result, words }, 'table').split('\n');
    expect(lines[3]).toBe('│ w0      │ 300000 │');
    expect(lines[300_002]).toBe('│ w299999 │      1 │');
  });

  it('quotes CSV fields that need it', () => {
    expect(formatMergeResult(result, 'csv')).toBe('word,count\ngröße,4\n"say,""hi""",3\n');
  });

  it('prints JSON with words in order', () => {
    expect(JSON.parse(formatMergeResult(result, 'json')).words.map((entry: { word: string }) => entry.word)).toEqual(['größe', 'say,"hi"']);
  });

  it('says nothing on stderr when nothing was skipped or invalid, and one warning line naming the first objects when some were invalid', () => {
    expect(formatMergeNotes(result)).toBe('');
    const invalidText = ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map((name) => ({ name, invalidSequences: 2 }));
    const withInvalid = { ...result, invalidText, totals: { ...result.totals, objectsWithInvalidSequences: 4, invalidSequences: 8 } };
    expect(formatMergeNotes(withInvalid)).toBe(
      'wordbatch merge: warning: 4 objects had byte sequences invalid in utf-8 (8 in all, each counted as U+FFFD): "a.txt", "b.txt", "c.txt" and 1 more; listed under "invalidText" in s3://b/out/p/result.json\n',
    );
  });

  it('warns, on stderr, that an empty plan counted nothing (not when shards were missing)', () => {
    const empty = { ...result, words: [], totals: { ...result.totals, files: 0, words: 0, distinctWords: 0, bytes: 0 } };
    expect(formatMergeNotes(empty)).toBe('wordbatch merge: warning: the plan named no objects: nothing was counted\n');
    expect(formatMergeNotes({ ...empty, missingShards: [0] })).toBe('');
  });

  it('compresses index lists into ranges', () => {
    expect(formatIndexRanges([0, 1, 2, 5, 7, 8])).toBe('0-2, 5, 7-8');
    expect(formatIndexRanges([])).toBe('');
  });
});
