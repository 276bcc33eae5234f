import type { PipelineRun, StageInvocation } from './describe';

/** What a retry re-runs, taken from the failed run's own stage invocations. */
export interface RetryOptions {
  /** The failed run's name; a retry of a retry keeps the first run's name. */
  readonly runName: string;
  /** 1 for the first retry of a run, 2 for the next, ... */
  readonly retry: number;
  readonly plan: string;
  readonly destination: string;
  /** The failed migrate's args and the shards to count again; absent when only merge failed. */
  readonly migrate?: {
    readonly args: readonly string[];
    /** The map listing those shards (child i counts shard map[i]). */
    readonly indexMap: string;
    readonly shards: number;
  };
  /** The failed run's merge args; absent when it had no merge job. */
  readonly mergeArgs?: readonly string[];
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

/** The value of `--flag` in a stage's args (`--flag value` or `--flag=value`), if present. */
export function stageFlagValue(args: readonly string[], flag: string): string | undefined {
  for (let position = 0; position < args.length; position++) {
    if (args[position] === `--${flag}`) return args[position + 1];
    if (args[position].startsWith(`--${flag}=`)) return args[position].slice(flag.length + 3);
  }
  return undefined;
}

/** The args without `--flag value` / `--flag=value`. */
function withoutFlag(args: readonly string[], flag: string): string[] {
  const kept: string[] = [];
  for (let position = 0; position < args.length; position++) {
    if (args[position] === `--${flag}`) position++;
    else if (!args[position].startsWith(`--${flag}=`)) kept.push(args[position]);
  }
  return kept;
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
    const args = withoutFlag(withoutFlag(options.migrate.args, 'index'), 'index-map');
    stages.push({
      stage: 'migrate',
      args: [...args, '--index-map', options.migrate.indexMap],
      arraySize: options.migrate.shards,
      dependsOn: [],
    });
  }
  if (options.mergeArgs) {
    stages.push({ stage: 'merge', args: [...options.mergeArgs], arraySize: 1, dependsOn: options.migrate ? ['migrate'] : [] });
  }
  if (stages.length === 0) throw new RangeError('a retry re-runs migrate, merge or both');
  return { name, plan: options.plan, destination: options.destination, stages };
}
