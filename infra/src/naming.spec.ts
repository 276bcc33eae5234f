import { defaultBucketNames, resourceNames } from './naming';

describe('resourceNames', () => {
  it('derives every name from the default prefix', () => {
    expect(resourceNames()).toEqual({
      jobQueue: 'wordbatch-queue',
      jobDefinitions: { plan: 'wordbatch-plan', migrate: 'wordbatch-migrate', merge: 'wordbatch-merge' },
      repositories: { plan: 'wordbatch-plan', migrate: 'wordbatch-migrate', merge: 'wordbatch-merge' },
      jobRoles: { plan: 'wordbatch-plan-job', migrate: 'wordbatch-migrate-job', merge: 'wordbatch-merge-job' },
      executionRole: 'wordbatch-execution',
      instanceRole: 'wordbatch-batch-instance',
      logGroup: '/aws/batch/wordbatch',
      computeEnvironmentPrefix: 'wordbatch-',
    });
  });

  it('follows a custom prefix', () => {
    const names = resourceNames('wb-test');
    expect(names.jobQueue).toBe('wb-test-queue');
    expect(names.jobDefinitions.migrate).toBe('wb-test-migrate');
  });
});

describe('defaultBucketNames', () => {
  it('makes names unique per account and region', () => {
    expect(defaultBucketNames('wordbatch', '123456789012', 'eu-west-1')).toEqual({
      source: 'wordbatch-src-123456789012-eu-west-1',
      destination: 'wordbatch-dst-123456789012-eu-west-1',
    });
  });

  it('stays within the 63 characters of a bucket name for the longest prefix and region', () => {
    const { source, destination } = defaultBucketNames('a'.repeat(24), '123456789012', 'ap-southeast-5');
    expect(Math.max(source.length, destination.length)).toBeLessThanOrEqual(63);
  });
});
