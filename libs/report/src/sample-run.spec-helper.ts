/**
 * A finished three-shard run as merge and migrate leave it: result.json, the plan copy, each
 * shard result (header line and counts) and each shard's timing, by name in the results folder.
 * Shard 2 is the straggler (six times the others' duration).
 */
export const PLAN_ID = 'books-0123456789ab';

export const sampleResult = {
  planId: PLAN_ID,
  partial: false,
  missingShards: [],
  totals: { shards: 3, shardsMerged: 3, files: 5, bytes: 3_500_000, words: 1200, distinctWords: 300, skippedFiles: 2 },
  settings: { tokenizer: 'unicode', top: 4, minLength: 3, minCount: 3, stopwords: ['and', 'the'] },
  skipped: [
    { name: 'images/a.png', reason: 'binary (contains a NUL byte)' },
    { name: 'notes/<script>.txt', reason: 'binary (contains a NUL byte)' },
  ],
  words: [
    { word: 'lord', count: 90 },
    { word: 'said', count: 60 },
    { word: '</script><b>x', count: 10 },
    { word: 'café', count: 5 },
  ],
  result: `s3://dst/out/${PLAN_ID}/result.json`,
};

export const samplePlan = {
  version: 1,
  kind: 'wordbatch-plan',
  id: PLAN_ID,
  createdAt: '2026-11-29T10:00:00.000Z',
  source: 's3://corpus/books/',
  destination: 's3://dst/out/',
  shardLists: 's3://dst/plans/books/',
  settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
  shardCount: 3,
  totals: { files: 7, bytes: 3_500_000 },
};

const durations = [1000, 1200, 6000];
const stats = [
  { files: 2, bytes: 1_000_000, words: 400, distinctWords: 100, skipped: [] },
  { files: 2, bytes: 1_000_000, words: 400, distinctWords: 100, skipped: [sampleResult.skipped[0]] },
  { files: 1, bytes: 1_500_000, words: 400, distinctWords: 100, skipped: [sampleResult.skipped[1]] },
];

/** Every object of the run, by its name inside the results folder. */
export function sampleRunObjects(): Map<string, string> {
  const objects = new Map<string, string>();
  objects.set('result.json', JSON.stringify(sampleResult, null, 2));
  objects.set('plan.json', JSON.stringify(samplePlan));
  for (const shardIndex of [0, 1, 2]) {
    const header = { version: 1, kind: 'wordbatch-shard-result', planId: PLAN_ID, shardIndex, tokenizer: 'unicode', stats: stats[shardIndex] };
    objects.set(`shards/shard-0000${shardIndex}.tsv`, `${JSON.stringify(header)}\nlord\t30\nsaid\t20\n`);
    const timing = {
      version: 2,
      kind: 'wordbatch-shard-timing',
      planId: PLAN_ID,
      shardIndex,
      startedAt: new Date(Date.UTC(2026, 10, 29, 10, 1, 0) + shardIndex * 500).toISOString(),
      durationMs: durations[shardIndex],
      countingThreads: 2,
    };
    objects.set(`timings/shard-0000${shardIndex}.json`, JSON.stringify(timing));
  }
  return objects;
}
