import { UsageError } from '@wordbatch/errors';
import { parseMigrateCommand as parseMigrateOptions } from './migrate';

describe('parseMigrateOptions --index-map', () => {
  it('reads the map location as an S3 path next to the index', () => {
    const options = parseMigrateOptions(
      ['--plan', 's3://dst/plans/p.json', '--index-map', 's3://dst/out/p1/retries/retry-1.json'],
      { AWS_BATCH_JOB_ARRAY_INDEX: '2' },
    );
    expect(options.indexMap).toEqual({ bucket: 'dst', key: 'out/p1/retries/retry-1.json' });
    expect(options.index).toEqual({ value: 2, from: 'AWS_BATCH_JOB_ARRAY_INDEX' });
  });

  it('has no map unless given', () => {
    expect(parseMigrateOptions(['--plan', 's3://dst/plans/p.json'], {}).indexMap).toBeUndefined();
  });

  it('names the flag when the map is not an S3 URI', () => {
    expect(() => parseMigrateOptions(['--plan', 's3://dst/plans/p.json', '--index-map', 'retry-1.json'], {})).toThrow(UsageError);
    expect(() => parseMigrateOptions(['--plan', 's3://dst/plans/p.json', '--index-map', 'retry-1.json'], {})).toThrow(/--index-map/);
  });
});
