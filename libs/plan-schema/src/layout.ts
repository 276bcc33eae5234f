import { asFolder, childPath, formatS3Path, isWithin, type S3Path } from '@wordbatch/s3-path';
import { PlanFormatError } from './parse';
import type { PlanHeader } from './schemas';

/**
 * Where every object of a run lives. Each key depends only on the plan, so a re-run of
 * any stage overwrites its own output instead of adding a second copy.
 *
 *   <plan>.json                          the header (written last by plan: its presence means the plan is complete)
 *   <plan>/shard-00042.json              shard 42's item list
 *   <destination>/<plan id>/plan.json    a copy of the header, so merge can find plans without --plan
 *   <destination>/<plan id>/shards/shard-00042.tsv   shard 42's counts (written last by migrate)
 *   <destination>/<plan id>/timings/shard-00042.json shard 42's start and duration (written by migrate after its counts)
 *   <destination>/<plan id>/files/<name>             per-file counts with --per-file
 *   <destination>/<plan id>/result.json  merge's result
 *   <destination>/<plan id>/actuals.json what the run actually took (requests, vCPU-hours, dollars; written by merge, named by result.json)
 *   <destination>/<plan id>/retries/retry-3.json     the index map of retry 3 (wordbatch retry-failed)
 */
export const PLAN_COPY_NAME = 'plan.json';
export const SHARD_RESULTS_FOLDER = 'shards/';
export const SHARD_TIMINGS_FOLDER = 'timings/';
export const MERGE_RESULT_NAME = 'result.json';
export const RUN_ACTUALS_NAME = 'actuals.json';

function shardFileName(index: number, extension: string): string {
  return `shard-${String(index).padStart(5, '0')}.${extension}`;
}

/** The folder of per-shard item lists of the plan at `planUri` (`…/p1.json` → `…/p1/`). */
export function shardListsFolderFor(plan: S3Path): S3Path {
  if (!plan.key.endsWith('.json') || plan.key.endsWith('/.json') || plan.key === '.json') {
    throw new PlanFormatError(`--plan must name a .json object, got ${formatS3Path(plan)}`);
  }
  return { bucket: plan.bucket, key: `${plan.key.slice(0, -'.json'.length)}/` };
}

export function shardListLocation(header: PlanHeader, shardIndex: number): S3Path {
  return childPath(header.shardLists, shardFileName(shardIndex, 'json'));
}

export function resultsFolder(header: PlanHeader): S3Path {
  return childPath(header.destination, `${header.id}/`);
}

export function planCopyLocation(header: PlanHeader): S3Path {
  return childPath(resultsFolder(header), PLAN_COPY_NAME);
}

export function shardResultsFolder(header: PlanHeader): S3Path {
  return childPath(resultsFolder(header), SHARD_RESULTS_FOLDER);
}

/** Shard `shardIndex`'s result, relative to the run's results folder. */
export function shardResultName(shardIndex: number): string {
  return `${SHARD_RESULTS_FOLDER}${shardFileName(shardIndex, 'tsv')}`;
}

/** Shard `shardIndex`'s timing, relative to the run's results folder. */
export function shardTimingName(shardIndex: number): string {
  return `${SHARD_TIMINGS_FOLDER}${shardFileName(shardIndex, 'json')}`;
}

export function shardResultLocation(header: PlanHeader, shardIndex: number): S3Path {
  return childPath(resultsFolder(header), shardResultName(shardIndex));
}

export function shardTimingLocation(header: PlanHeader, shardIndex: number): S3Path {
  return childPath(resultsFolder(header), shardTimingName(shardIndex));
}

/** The shard index of a shard result key, or undefined for any other key. */
export function shardIndexOfResultKey(key: string): number | undefined {
  const match = /shard-(\d{5,})\.tsv$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

export function perFileLocation(header: PlanHeader, name: string): S3Path {
  return childPath(resultsFolder(header), `files/${name}`);
}

export function mergeResultLocation(header: PlanHeader): S3Path {
  return childPath(resultsFolder(header), MERGE_RESULT_NAME);
}

/** The run's actual figures: beside result.json, not in it, because they differ from run to run (see docs/performance.md). */
export function runActualsLocation(header: PlanHeader): S3Path {
  return childPath(resultsFolder(header), RUN_ACTUALS_NAME);
}

/** The folder of the shards' timings. */
export function shardTimingsFolder(header: PlanHeader): S3Path {
  return childPath(resultsFolder(header), SHARD_TIMINGS_FOLDER);
}

export function sourceLocation(header: PlanHeader, name: string): S3Path {
  return childPath(header.source, name);
}

/**
 * Refuses a plan whose outputs would land inside its own input: a tampered or careless plan
 * must never make a stage write into the source prefix it reads.
 */
export function assertPlanWritesOutsideSource(header: PlanHeader): void {
  const source = asFolder(header.source);
  const destination = asFolder(header.destination);
  if (isWithin(destination, source) || isWithin(source, destination)) {
    throw new PlanFormatError(
      `plan ${header.id}: destination ${formatS3Path(destination)} overlaps the source ${formatS3Path(source)}; results must be written outside the data they count`,
    );
  }
  if (isWithin(header.shardLists, source)) {
    throw new PlanFormatError(`plan ${header.id}: its shard lists lie inside the source ${formatS3Path(source)}`);
  }
}

const RETRY_FOLDER = 'retries/';
const RETRY_NAME = /(?:^|\/)retries\/retry-(\d+)\.json$/;

/** Where retry number `retry` (1, 2, ...) keeps its map: `<results folder>/retries/retry-N.json`. */
export function indexMapLocation(resultsFolder: S3Path, retry: number): S3Path {
  return childPath(resultsFolder, `${RETRY_FOLDER}retry-${retry}.json`);
}

/** The retry number of a map written at indexMapLocation, or undefined for any other key. */
export function retryNumberOfIndexMap(key: string): number | undefined {
  const match = RETRY_NAME.exec(key);
  return match ? Number(match[1]) : undefined;
}
