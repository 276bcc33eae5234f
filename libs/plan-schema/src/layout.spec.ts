import { parseS3Path } from '@wordbatch/s3-path';
import {
  assertPlanWritesOutsideSource,
  indexMapLocation,
  mergeResultLocation,
  perFileLocation,
  planCopyLocation,
  retryNumberOfIndexMap,
  runActualsLocation,
  shardIndexOfResultKey,
  shardListLocation,
  shardListsFolderFor,
  shardResultLocation,
  shardResultName,
  shardResultsFolder,
  shardTimingLocation,
  shardTimingName,
  shardTimingsFolder,
  sourceLocation,
} from './layout';
import { sampleHeader } from './sample-header.spec-helper';

describe('layout', () => {
  // Read in each test, not here: a schema call while jest collects the tests is outside any
  // test, and would make the mutants it reaches "static" to Stryker (re-tested with the whole suite).
  let header: ReturnType<typeof sampleHeader>;
  beforeEach(() => {
    header = sampleHeader();
  });

  it('puts every output at a key derived from the plan', () => {
    expect(shardListLocation(header, 42)).toEqual({ bucket: 'dst-bucket', key: 'plans/p1/shard-00042.json' });
    expect(shardResultLocation(header, 7)).toEqual({ bucket: 'dst-bucket', key: 'out/p1-0123456789ab/shards/shard-00007.tsv' });
    expect(shardTimingLocation(header, 7)).toEqual({ bucket: 'dst-bucket', key: 'out/p1-0123456789ab/timings/shard-00007.json' });
    expect(planCopyLocation(header).key).toBe('out/p1-0123456789ab/plan.json');
    expect(mergeResultLocation(header).key).toBe('out/p1-0123456789ab/result.json');
    expect(perFileLocation(header, 'sub/a b.txt').key).toBe('out/p1-0123456789ab/files/sub/a b.txt');
    expect(sourceLocation(header, 'sub/a b.txt')).toEqual({ bucket: 'src-bucket', key: 'docs/sub/a b.txt' });
    expect(runActualsLocation(header).key).toBe('out/p1-0123456789ab/actuals.json');
    expect(shardResultsFolder(header)).toEqual({ bucket: 'dst-bucket', key: 'out/p1-0123456789ab/shards/' });
    expect(shardTimingsFolder(header)).toEqual({ bucket: 'dst-bucket', key: 'out/p1-0123456789ab/timings/' });
  });

  it('names shard outputs relative to the results folder, as a copy of that folder holds them', () => {
    expect(shardResultName(42)).toBe('shards/shard-00042.tsv');
    expect(shardTimingName(123456)).toBe('timings/shard-123456.json');
    expect(shardResultLocation(header, 42).key.endsWith(`/${shardResultName(42)}`)).toBe(true);
  });

  it('reads the shard index back from a result key', () => {
    expect(shardIndexOfResultKey(shardResultLocation(header, 9999).key)).toBe(9999);
    expect(shardIndexOfResultKey('shard-123456.tsv')).toBe(123456);
    for (const key of ['out/p1/result.json', 'shards/shard-0042.tsv', 'shards/shard-00042.tsv.part', 'shards/shard-00042xtsv']) {
      expect(shardIndexOfResultKey(key)).toBeUndefined();
    }
  });

  it('reads the retry number back from an index map key, and from no other key', () => {
    expect(retryNumberOfIndexMap(indexMapLocation({ bucket: 'dst', key: '' }, 12).key)).toBe(12);
    expect(retryNumberOfIndexMap('out/p1/retries/retry-3.json')).toBe(3);
    for (const key of ['out/p1/oldretries/retry-3.json', 'out/p1/retries/retry-3.json.part', 'out/p1/retries/retry-.json', 'out/p1/retries/retry-3xjson']) {
      expect(retryNumberOfIndexMap(key)).toBeUndefined();
    }
  });

  it('derives the shard lists folder from the plan name', () => {
    expect(shardListsFolderFor(parseS3Path('s3://b12/plans/p1.json'))).toEqual({ bucket: 'b12', key: 'plans/p1/' });
    expect(() => shardListsFolderFor(parseS3Path('s3://b12/plans/p1'))).toThrow(/must name a \.json object/);
    expect(() => shardListsFolderFor(parseS3Path('s3://b12/.json'))).toThrow(/must name a \.json object/);
    expect(() => shardListsFolderFor(parseS3Path('s3://b12/plans/.json'))).toThrow('--plan must name a .json object, got s3://b12/plans/.json');
  });

  it.each([
    ['s3://src-bucket/docs/out/', 's3://dst-bucket/plans/p1/'],
    ['s3://src-bucket/', 's3://dst-bucket/plans/p1/'],
    ['s3://dst-bucket/out/', 's3://src-bucket/docs/plans/'],
  ])('refuses a plan writing into its source (destination %s)', (destination, shardLists) => {
    const tampered = sampleHeader({ destination, shardLists });
    expect(() => assertPlanWritesOutsideSource(tampered)).toThrow(/source/);
  });

  it('accepts a plan with separate source and destination', () => {
    expect(() => assertPlanWritesOutsideSource(header)).not.toThrow();
    expect(() => assertPlanWritesOutsideSource(sampleHeader({ destination: 's3://src-bucket/results/' }))).not.toThrow();
  });
});
