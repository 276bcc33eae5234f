import { parseS3Path } from '@wordbatch/s3-path';
import { describePipeline } from './describe';
import { baseRunName, describeRetry, retryNumberOfRunName } from './retry';

const s3 = parseS3Path;

describe('describeRetry', () => {
  const original = describePipeline({ source: s3('s3://src/books/'), destination: s3('s3://dst/out/'), shards: 8, name: 'books', concurrency: 4, top: 10 });
  const [, , merge] = original.stages;
  const migrateFlags = { plan: s3(original.plan), concurrency: 4, index: undefined, indexMap: undefined };
  const mergeFlags = { destination: s3('s3://dst/out/'), plan: s3(original.plan), top: 10, minLength: 3, minCount: 3, stopwords: new Set(['and', 'the']), format: 'table' as const, allowPartial: false, price: [] };

  it('re-runs the listed shards over an index map, then merge', () => {
    const retry = describeRetry({
      runName: 'books',
      retry: 1,
      plan: original.plan,
      destination: original.destination,
      migrate: { flags: migrateFlags, indexMap: s3('s3://dst/out/p1/retries/retry-1.json'), shards: 3 },
      merge: mergeFlags,
    });
    expect(retry.name).toBe('books-retry1');
    expect(retry.stages).toEqual([
      {
        stage: 'migrate',
        args: ['--plan', 's3://dst/plans/books.json', '--concurrency', '4', '--index-map', 's3://dst/out/p1/retries/retry-1.json'],
        arraySize: 3,
        dependsOn: [],
      },
      { stage: 'merge', args: merge.args, arraySize: 1, dependsOn: ['migrate'] },
    ]);
  });

  it('replaces an earlier map or shard index, and numbers from the first run', () => {
    const retry = describeRetry({
      runName: 'books-retry1',
      retry: 2,
      plan: original.plan,
      destination: original.destination,
      migrate: { flags: { ...migrateFlags, index: 3, indexMap: s3('s3://dst/old.json'), concurrency: 2 }, indexMap: s3('s3://dst/new.json'), shards: 1 },
    });
    expect(retry.name).toBe('books-retry2');
    expect(retry.stages).toEqual([
      { stage: 'migrate', args: ['--plan', 's3://dst/plans/books.json', '--concurrency', '2', '--index-map', 's3://dst/new.json'], arraySize: 1, dependsOn: [] },
    ]);
  });

  it('re-runs merge alone when only merge failed', () => {
    const retry = describeRetry({ runName: 'books', retry: 1, plan: original.plan, destination: original.destination, merge: mergeFlags });
    expect(retry.stages).toEqual([{ stage: 'merge', args: merge.args, arraySize: 1, dependsOn: [] }]);
  });

  it('refuses an empty retry or a bad number', () => {
    expect(() => describeRetry({ runName: 'books', retry: 1, plan: 'p', destination: 'd' })).toThrow(/migrate, merge or both/);
    expect(() => describeRetry({ runName: 'books', retry: 0, plan: 'p', destination: 'd', merge: mergeFlags })).toThrow(/1 or more/);
  });

  it('numbers retries from the first run', () => {
    expect(baseRunName('books-retry12')).toBe('books');
    expect(retryNumberOfRunName('books-retry12')).toBe(12);
    expect(retryNumberOfRunName('books')).toBe(0);
  });
});
