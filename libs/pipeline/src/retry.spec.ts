import { describePipeline } from './describe';
import { baseRunName, describeRetry, retryNumberOfRunName, stageFlagValue } from './retry';

describe('describeRetry', () => {
  const original = describePipeline({
    source: 's3://src/books/',
    destination: 's3://dst/out/',
    shards: 8,
    name: 'books',
    migrateConcurrency: 4,
    mergeArgs: ['--top', '10'],
  });
  const [, migrate, merge] = original.stages;

  it('re-runs the listed shards over an index map, then merge', () => {
    const retry = describeRetry({
      runName: 'books',
      retry: 1,
      plan: original.plan,
      destination: original.destination,
      migrate: { args: migrate.args, indexMap: 's3://dst/out/p1/retries/retry-1.json', shards: 3 },
      mergeArgs: merge.args,
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
      migrate: { args: ['--plan', 'p', '--index', '3', '--index-map=s3://old', '--concurrency', '2'], indexMap: 's3://new', shards: 1 },
    });
    expect(retry.name).toBe('books-retry2');
    expect(retry.stages).toEqual([{ stage: 'migrate', args: ['--plan', 'p', '--concurrency', '2', '--index-map', 's3://new'], arraySize: 1, dependsOn: [] }]);
  });

  it('re-runs merge alone when only merge failed', () => {
    const retry = describeRetry({ runName: 'books', retry: 1, plan: original.plan, destination: original.destination, mergeArgs: merge.args });
    expect(retry.stages).toEqual([{ stage: 'merge', args: merge.args, arraySize: 1, dependsOn: [] }]);
  });

  it('refuses an empty retry or a bad number', () => {
    expect(() => describeRetry({ runName: 'books', retry: 1, plan: 'p', destination: 'd' })).toThrow(/migrate, merge or both/);
    expect(() => describeRetry({ runName: 'books', retry: 0, plan: 'p', destination: 'd', mergeArgs: [] })).toThrow(/1 or more/);
  });

  it('reads flags back from stage args', () => {
    expect(stageFlagValue(['--plan', 's3://a/b.json', '--index-map=s3://m'], 'plan')).toBe('s3://a/b.json');
    expect(stageFlagValue(['--plan', 's3://a/b.json', '--index-map=s3://m'], 'index-map')).toBe('s3://m');
    expect(stageFlagValue(['--plan', 's3://a/b.json'], 'index')).toBeUndefined();
    expect(baseRunName('books-retry12')).toBe('books');
    expect(retryNumberOfRunName('books-retry12')).toBe(12);
    expect(retryNumberOfRunName('books')).toBe(0);
  });
});
