import type { S3Path } from '@wordbatch/s3-path';
import type { MergeFlagValues, MigrateFlagValues } from '@wordbatch/stage-commands';
import { describeMergeStage, describeMigrateStage, type PipelineRun, type StageInvocation } from './describe';

/** What a retry re-runs, taken from the failed run's own stage invocations. */
export interface RetryOptions {
  /** The failed run's name; a retry of a retry keeps the first run's name. */
  readonly runName: string;
  /** 1 for the first retry of a run, 2 for the next, ... */
  readonly retry: number;
  readonly plan: string;
  readonly destination: string;
  /** The failed migrate's flags (read back from its command) and the shards to count again; absent when only merge failed. */
  readonly migrate?: {
    readonly flags: Partial<MigrateFlagValues> & { readonly plan: S3Path };
    /** The map listing those shards (child i counts shard map[i]). */
    readonly indexMap: S3Path;
    readonly shards: number;
  };
  /** The failed run's merge flags (read back from its command); absent when it had no merge job. */
  readonly merge?: MergeFlagValues;
}

const RETRY_SUFFIX = /-retry(\d+)$/;

/** The run name without a `-retryN` suffix: retries are numbered from the first run. */
export function baseRunName(runName: string): string {
  return runName.replace(RETRY_SUFFIX, '');
}

/** N for a run named `<name>-retryN`, 0 for a first run. */
export function retryNumberOfRunName(runName: string): number {
  const match = RETRY_SUFFIX.exec(runName);
  return match ? Number(match[1]) : 0;
}

/**
 * Describes a retry as a run of its own: migrate over an index map (a plain job for one
 * shard, an array otherwise), then merge. Every flag of the failed invocations is kept, but
 * an explicit shard index or an earlier map gives way to the new map.
 */
export function describeRetry(options: RetryOptions): PipelineRun {
  if (!Number.isSafeInteger(options.retry) || options.retry < 1) {
    throw new RangeError(`retry number must be 1 or more, got ${options.retry}`);
  }
  const name = `${baseRunName(options.runName)}-retry${options.retry}`;
  const stages: StageInvocation[] = [];
  if (options.migrate) {
    const { flags, indexMap, shards } = options.migrate;
    stages.push(describeMigrateStage({ ...flags, index: undefined, indexMap, arraySize: shards }));
  }
  if (options.merge) {
    stages.push({ ...describeMergeStage(options.merge), dependsOn: options.migrate ? ['migrate'] : [] });
  }
  if (stages.length === 0) throw new RangeError('a retry re-runs migrate, merge or both');
  return { name, plan: options.plan, destination: options.destination, stages };
}
