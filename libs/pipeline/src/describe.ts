import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import {
  formatMergeCommand,
  formatMigrateCommand,
  formatPlanCommand,
  parseMergeCommand,
  parseMigrateCommand,
  parsePlanCommand,
  type MergeFlagValues,
  type MigrateFlagValues,
  type PlanFlagValues,
} from '@wordbatch/stage-commands';
import { STAGES, type StageName } from './stages';

/** One stage of a run: what to pass to its program, how many copies, and what it waits for. */
export interface StageInvocation {
  readonly stage: StageName;
  /** The stage program's flags (the container's command on AWS Batch). */
  readonly args: readonly string[];
  /** Array children; 1 means a single job (AWS Batch arrays start at 2). */
  readonly arraySize: number;
  readonly dependsOn: readonly StageName[];
}

/** A whole run as data: both the local executor and the AWS Batch submitter consume it. */
export interface PipelineRun {
  readonly name: string;
  readonly plan: string;
  readonly destination: string;
  readonly stages: readonly StageInvocation[];
}

/** The flags of every stage, as their own definitions type them; each stage takes its own keys. */
export type StageFlagValues = Partial<PlanFlagValues> & Partial<MigrateFlagValues> & Partial<MergeFlagValues>;

/** What the plan stage needs: its flags, with the locations resolved and the shard count fixed. */
export type PlanStageOptions = StageFlagValues & {
  /** The folder to count; absent when plan reads a --manifest or --keys list instead. */
  readonly source?: S3Path;
  readonly destination: S3Path;
  readonly plan: S3Path;
  /** Fixed before planning, so the array size is known at submission. */
  readonly shards: number;
};

/** What the migrate stage needs: one child per shard, or per entry of an index map. */
export type MigrateStageOptions = StageFlagValues & {
  readonly plan: S3Path;
  /** The number of children: the plan's shard count, or the index map's length. */
  readonly arraySize: number;
};

export type MergeStageOptions = StageFlagValues & { readonly destination: S3Path };

export type PipelineOptions = StageFlagValues & {
  readonly source?: S3Path;
  readonly destination: S3Path;
  /** The number of shards, fixed before planning so the array size is known at submission. */
  readonly shards: number;
  /** Names the run and its plan; letters, digits, `-` and `_`. */
  readonly name: string;
  /** Default: plans/NAME.json in the destination's bucket. */
  readonly plan?: S3Path;
};

/** Run names become job and object names: 1-64 letters, digits, `-` or `_`, starting alphanumeric. */
export const RUN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Throws a RangeError naming the rule when `name` cannot name a run. */
export function assertRunName(name: string): void {
  if (!RUN_NAME_PATTERN.test(name)) {
    throw new RangeError(`run name must be 1-64 letters, digits, - or _, starting with a letter or digit, got "${name}"`);
  }
}

/** The plan location a run uses when none is given: `s3://<destination bucket>/plans/<name>.json`. */
export function defaultPlanUri(destination: S3Path, name: string): S3Path {
  return { bucket: destination.bucket, key: `plans/${name}.json` };
}

/**
 * Each describer writes the stage's command with the stage's own definition and reads it
 * back with the stage's own parser and cross-checks, so a command that the stage would
 * refuse fails here, before anything is uploaded or submitted, with the stage's own message.
 */
export function describePlanStage(options: PlanStageOptions): StageInvocation {
  const args = formatPlanCommand({ ...options, shardBytes: undefined });
  parsePlanCommand(args);
  return { stage: STAGES.plan.name, args, arraySize: 1, dependsOn: [] };
}

export function describeMigrateStage(options: MigrateStageOptions): StageInvocation {
  const args = formatMigrateCommand({ ...options, index: undefined });
  parseMigrateCommand(args, {});
  return { stage: STAGES.migrate.name, args, arraySize: options.arraySize, dependsOn: [] };
}

export function describeMergeStage(options: MergeStageOptions): StageInvocation {
  const args = formatMergeCommand(options);
  parseMergeCommand(args);
  return { stage: STAGES.merge.name, args, arraySize: 1, dependsOn: [] };
}

/** Builds the run description from the user's options, in one place for every executor. */
export function describePipeline(options: PipelineOptions): PipelineRun {
  assertRunName(options.name);
  const plan = options.plan ?? defaultPlanUri(options.destination, options.name);
  return {
    name: options.name,
    plan: formatS3Path(plan),
    destination: formatS3Path(options.destination),
    stages: [
      describePlanStage({ ...options, plan }),
      { ...describeMigrateStage({ ...options, plan, arraySize: options.shards }), dependsOn: ['plan'] },
      { ...describeMergeStage({ ...options, plan }), dependsOn: ['migrate'] },
    ],
  };
}
