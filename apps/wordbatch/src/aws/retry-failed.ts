import { parseCommandLine, type CommandLine, type FlagSet, type FlagValues } from '@wordbatch/cli';
import { StageError, UsageError } from '@wordbatch/errors';
import {
  baseRunName,
  batchResourceNames,
  describeRetry,
  parseBatchJobName,
  retryNumberOfRunName,
  RUN_NAME_PATTERN,
  STAGE_NAMES,
  type PipelineRun,
  type StageName,
} from '@wordbatch/pipeline';
import { readPlanHeader } from '@wordbatch/plan-io';
import {
  formatIndexMap,
  IndexMapError,
  indexMapLocation,
  MAX_INDEX_MAP_BYTES,
  parseIndexMap,
  resultsFolder,
  retryNumberOfIndexMap,
  type PlanHeader,
} from '@wordbatch/plan-schema';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { MERGE_COMMAND, MIGRATE_COMMAND } from '@wordbatch/stage-commands';
import type { ObjectStore } from '@wordbatch/s3-store';
import type { BatchApi } from './batch-api';
import { submitRun, type SubmittedJob } from './aws-executor';
import type { BatchTarget } from './target';
import { failedChildIndices, type JobView, type RunSnapshot } from './watch';

/** The S3 side of a retry: the plan it belongs to and the index maps. */
export interface RetryStore {
  readPlanHeader(plan: S3Path): Promise<PlanHeader>;
  readIndexMap(location: S3Path): Promise<number[]>;
  writeIndexMap(location: S3Path, shardIndices: readonly number[]): Promise<void>;
}

export function objectRetryStore(store: ObjectStore, signal: AbortSignal): RetryStore {
  return {
    readPlanHeader: (plan) => readPlanHeader(store, plan, signal),
    async readIndexMap(location) {
      const text = await store.readText(location, { signal, maxBytes: MAX_INDEX_MAP_BYTES });
      try {
        return parseIndexMap(text, `index map ${formatS3Path(location)}`);
      } catch (error) {
        throw error instanceof IndexMapError ? new UsageError(error.message) : error;
      }
    },
    writeIndexMap: (location, shardIndices) =>
      store.put(location, formatIndexMap(shardIndices), { signal, contentType: 'application/json' }),
  };
}

export interface RetryOverrides {
  readonly queue?: string;
  readonly shareIdentifier?: string;
}

/** What retry-failed will submit, and why. */
export interface RetryPlan {
  readonly run: PipelineRun;
  readonly target: BatchTarget;
  /** The failed children of the failed migrate job (index 0 for a plain job), and the shards they counted. */
  readonly failedChildren: readonly number[];
  readonly shards: readonly number[];
  /** Where the map of those shards goes; absent when only merge is re-run. */
  readonly indexMap?: S3Path;
}

function onlyJobOf(snapshot: RunSnapshot, stage: StageName): JobView | undefined {
  const jobs = snapshot.jobs.filter((job) => job.stage === stage);
  if (jobs.length > 1) {
    throw new UsageError(`the run has ${jobs.length} ${stage} jobs (${jobs.map((job) => job.jobId).join(', ')}): pass the --job of one run`);
  }
  return jobs[0];
}

/**
 * A job's command read back with its stage's own definition: the flags that describePipeline
 * wrote are the flags the retry gets, whatever flags the stage has (a test round-trips each).
 */
function commandFlags<F extends FlagSet>(job: JobView, command: CommandLine<F>): FlagValues<F> {
  try {
    return parseCommandLine(command, job.command);
  } catch (error) {
    if (error instanceof StageError) throw new UsageError(`job ${job.jobId} (${job.stage ?? job.jobName}) has a command this version cannot read: ${error.message}`);
    throw error;
  }
}

/** A job definition ARN or name:revision, as its bare name: SubmitJob then takes the latest revision. */
function definitionName(jobDefinition: string): string {
  return jobDefinition.split('/').at(-1)?.split(':')[0] ?? jobDefinition;
}

/** Where the retry goes: where the failed jobs went (`reference` is one of them), unless overridden. */
function retryTarget(jobs: readonly JobView[], reference: JobView, overrides: RetryOverrides): BatchTarget {
  const conventional = batchResourceNames();
  const jobDefinitions = Object.fromEntries(
    STAGE_NAMES.map((stage) => {
      const job = jobs.find((candidate) => candidate.stage === stage);
      return [stage, job ? definitionName(job.jobDefinition) : conventional.jobDefinitions[stage]];
    }),
  ) as Record<StageName, string>;
  const shareIdentifier = overrides.shareIdentifier ?? reference.shareIdentifier;
  return {
    jobQueue: overrides.queue ?? reference.jobQueue,
    jobDefinitions,
    logGroup: reference.logGroup ?? conventional.logGroup,
    ...(shareIdentifier === undefined ? {} : { shareIdentifier }),
  };
}

function runNameOf(job: JobView, plan: S3Path | undefined): string {
  const parsed = parseBatchJobName(job.jobName)?.runName;
  if (parsed !== undefined && RUN_NAME_PATTERN.test(baseRunName(parsed))) return parsed;
  const fromPlan = plan?.key.split('/').at(-1)?.replace(/\.json$/, '');
  return fromPlan !== undefined && RUN_NAME_PATTERN.test(fromPlan) ? fromPlan : 'wordbatch';
}

/**
 * Works out the retry of a finished run: the failed children of its migrate job become an
 * index map and a smaller migrate job, followed by merge; if only merge failed, merge alone.
 * Returns undefined when nothing failed.
 */
export async function planRetry(
  snapshot: RunSnapshot,
  api: BatchApi,
  store: RetryStore,
  overrides: RetryOverrides = {},
): Promise<RetryPlan | undefined> {
  const active = snapshot.jobs.filter((job) => job.status !== 'SUCCEEDED' && job.status !== 'FAILED');
  if (active.length > 0) {
    throw new UsageError(
      `the run is still going (${active.map((job) => `${job.stage ?? job.jobName} ${job.status}`).join(', ')}): wait for it with \`wordbatch status --wait\``,
    );
  }
  if (snapshot.outcome === 'succeeded') return undefined;
  const plan = onlyJobOf(snapshot, 'plan');
  if (plan?.status === 'FAILED') {
    throw new UsageError(`plan failed (${plan.statusReason ?? 'no reason given'}): there are no shards to re-run; fix the cause and submit the run again`);
  }
  const migrate = onlyJobOf(snapshot, 'migrate');
  const merge = onlyJobOf(snapshot, 'merge');
  const last = merge ?? migrate;
  if (last === undefined) throw new UsageError('found no migrate or merge job in this run: pass the --job of its merge job');

  const migrateFlags = migrate && commandFlags(migrate, MIGRATE_COMMAND);
  const mergeFlags = merge && commandFlags(merge, MERGE_COMMAND);
  const planUri = migrateFlags?.plan ?? mergeFlags?.plan;
  const runName = runNameOf(last, planUri);
  const previousMap = migrateFlags?.indexMap;
  const retry = Math.max(retryNumberOfRunName(runName), (previousMap && retryNumberOfIndexMap(previousMap.key)) || 0) + 1;
  const target = retryTarget(snapshot.jobs, migrate?.status === 'FAILED' ? migrate : last, overrides);
  const destination = mergeFlags ? formatS3Path(mergeFlags.destination) : '';

  if (migrate === undefined || migrateFlags === undefined || migrate.status === 'SUCCEEDED') {
    const run = describeRetry({ runName, retry, plan: planUri ? formatS3Path(planUri) : '', destination, merge: mergeFlags });
    return { run, target, failedChildren: [], shards: [] };
  }

  const failedChildren = migrate.arraySize === undefined ? [0] : await failedChildIndices(api, migrate.jobId);
  if (failedChildren.length === 0) {
    throw new UsageError(`migrate ${migrate.jobId} failed (${migrate.statusReason ?? 'no reason given'}) but none of its children did: submit the run again`);
  }
  const header = await store.readPlanHeader(migrateFlags.plan);
  const shards = await shardsOfChildren(migrate, migrateFlags.index, failedChildren, previousMap, store);
  const beyond = shards.find((shardIndex) => shardIndex >= header.shardCount);
  if (beyond !== undefined) {
    throw new UsageError(`migrate ${migrate.jobId} counted shard ${beyond}, but plan ${header.id} has ${header.shardCount} shards`);
  }
  const indexMap = indexMapLocation(resultsFolder(header), retry);
  const run = describeRetry({
    runName,
    retry,
    plan: formatS3Path(migrateFlags.plan),
    destination: formatS3Path(header.destination),
    migrate: { flags: migrateFlags, indexMap, shards: shards.length },
    merge: mergeFlags,
  });
  return { run, target, failedChildren, shards, indexMap };
}

/** The shard each failed child counted: its own index, its --index, or its entry of an earlier map. */
async function shardsOfChildren(
  migrate: JobView,
  explicitIndex: number | undefined,
  children: readonly number[],
  previousMap: S3Path | undefined,
  store: RetryStore,
): Promise<number[]> {
  if (previousMap !== undefined) {
    const map = await store.readIndexMap(previousMap);
    return children.map((child) => {
      const shardIndex = map[child];
      if (shardIndex === undefined) throw new UsageError(`child ${child} of ${migrate.jobId} has no entry in ${formatS3Path(previousMap)}`);
      return shardIndex;
    });
  }
  if (migrate.arraySize === undefined && explicitIndex !== undefined) return [explicitIndex];
  return [...children];
}

/** Writes the index map, then submits the retry: its migrate waits for nothing, merge for migrate. */
export async function submitRetry(plan: RetryPlan, api: BatchApi, store: RetryStore): Promise<SubmittedJob[]> {
  if (plan.indexMap !== undefined) await store.writeIndexMap(plan.indexMap, plan.shards);
  return submitRun(plan.run, plan.target, api);
}
