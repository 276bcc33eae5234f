import { availableParallelism } from 'node:os';
import { putObjects, startTestS3, type TestS3 } from './harness';
import { referenceCounts } from './reference-count';

const SRC = 'scale-source';
const DST = 'scale-results';
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
});

afterAll(() => s3.stop());

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const VOCABULARY = ['river', 'stone', 'Light', 'höhe', 'naïve', 'don’t', 'well-known', 'x1', '42', 'ÉCOLE', 'tree', 'Tree', 'sky'];
const SEPARATORS = [' ', '  ', '\n', ', ', '. ', '--', '\t', ' (', ') '];

describe('at scale', () => {
  it('counts 2,500 objects across listing pages exactly', async () => {
    const next = random(7);
    const objects = Array.from({ length: 2_500 }, (_, index) => {
      const words = Array.from({ length: 5 + Math.floor(next() * 30) }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]);
      const text = words.map((word) => word + SEPARATORS[Math.floor(next() * SEPARATORS.length)]).join('');
      return [`many/${String(index).padStart(5, '0')}.txt`, text] as const;
    });
    await putObjects(s3.store, SRC, objects);

    const planUri = `s3://${DST}/plans/many.json`;
    const plan = await s3.run('plan', ['--source', `s3://${SRC}/many`, '--destination', `s3://${DST}/out/`, '--plan', planUri, '--shards', '3']);
    expect(plan.stdout).toContain('files        2500');
    const migrations = await Promise.all([0, 1, 2].map((index) => s3.run('migrate', ['--plan', planUri, '--index', String(index)])));
    expect(migrations.map((run) => run.code)).toEqual([0, 0, 0]);
    const filesPerShard = migrations.map((run) => run.logs.find((log) => log['event'] === 'Migrate:ShardDone')?.['files']);
    expect(filesPerShard.reduce((sum: number, files) => sum + Number(files), 0)).toBe(2_500);

    const merge = await s3.run('merge', ['--destination', `s3://${DST}/out/`, '--format', 'json', '--top', '1000', '--min-length', '1', '--min-count', '1', '--stopwords', '']);
    const result = JSON.parse(merge.stdout);
    const expected = referenceCounts(objects.map(([, text]) => text));
    expect(Object.fromEntries(result.words.map((entry: { word: string; count: number }) => [entry.word, entry.count]))).toEqual(
      Object.fromEntries(expected),
    );
    expect(result.totals.words).toBe([...expected.values()].reduce((sum, count) => sum + count, 0));
  });

  it('streams objects: peak memory does not grow with the object (50 MB and 150 MB)', async () => {
    const line = 'the quick brown fox jumps over the lazy dog and keeps running through the field\n';
    const megabytes = (size: number) => Math.ceil((size * 1024 * 1024) / line.length);
    const block = Buffer.from(line.repeat(megabytes(10)));
    async function putRepeated(key: string, blocks: number) {
      await s3.store.putChunks({ bucket: SRC, key }, Array.from({ length: blocks }, () => block));
    }
    await putRepeated('mb50/object.txt', 5);
    await putRepeated('mb150/object.txt', 15);
    await s3.store.put({ bucket: SRC, key: 'tiny/object.txt' }, line);

    async function migrateOnly(prefix: string, migrateFlags: readonly string[]) {
      const planUri = `s3://${DST}/plans/${prefix}.json`;
      await s3.run('plan', ['--source', `s3://${SRC}/${prefix}/`, '--destination', `s3://${DST}/out-${prefix}/`, '--plan', planUri]);
      const run = await s3.run('migrate', ['--plan', planUri, ...migrateFlags]);
      expect(run.code).toBe(0);
      const done = run.logs.find((log) => log['event'] === 'Migrate:ShardDone');
      return { rss: Number(done?.['maxRssBytes']), words: Number(done?.['words']) };
    }
    // One GET streamed whole: objects under --split-above take this path.
    const whole = ['--split-above', '1GiB'];
    const tiny = await migrateOnly('tiny', whole);
    const mb50 = await migrateOnly('mb50', whole);
    const mb150 = await migrateOnly('mb150', whole);
    expect(mb50.words).toBe(15 * megabytes(10) * 5);
    expect(mb150.words).toBe(15 * megabytes(10) * 15);
    // Node's own footprint and its lazily collected read buffers come first; what proves
    // streaming is that three times the bytes costs (almost) no more memory.
    expect(mb150.rss - mb50.rss).toBeLessThan(24 * 1024 * 1024);
    expect(mb150.rss - tiny.rss).toBeLessThan(75 * 1024 * 1024);
  });

  it('reads large objects as ranged parts with memory bounded by the parts in flight, not by the object', async () => {
    // Parts of 8 MiB, at most 2 fetched ahead of the counting and one piece on each of the 2
    // counting threads: about 32 MiB of buffers whatever the size. An object held whole (or its
    // bytes held until it settles) would grow by the 100 MB the larger object adds.
    const ranged = ['--split-above', '1MiB', '--part-size', '8MiB', '--parts-in-flight', '2'];
    async function migrateRanged(prefix: string) {
      const planUri = `s3://${DST}/plans/${prefix}.json`;
      const run = await s3.run('migrate', ['--plan', planUri, ...ranged]);
      expect(run.code).toBe(0);
      const done = run.logs.find((log) => log['event'] === 'Migrate:ShardDone');
      return { rss: Number(done?.['maxRssBytes']), words: Number(done?.['words']), threads: Number(done?.['countingThreads']) };
    }
    const mb50 = await migrateRanged('mb50');
    const mb150 = await migrateRanged('mb150');
    expect(mb150.words).toBe(3 * mb50.words);
    // With a core to spare, the pieces were counted by threads started from the bundle's
    // embedded counting code (main.ts, bundled-source:), not in the calling thread.
    expect(mb150.threads > 0).toBe(availableParallelism() > 1);
    expect(mb150.rss - mb50.rss).toBeLessThan(48 * 1024 * 1024);
  });
});
