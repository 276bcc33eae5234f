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

/** What the plan stage needs; `plan` is the resolved plan URI. */
export interface PlanStageOptions {
  readonly source: string;
  readonly destination: string;
  readonly plan: string;
  readonly shards: number;
  readonly tokenizer?: 'unicode' | 'whitespace';
  readonly perFile?: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** What the migrate stage needs: one child per shard, or per entry of an index map. */
export interface MigrateStageOptions {
  readonly plan: string;
  /** The number of children: the plan's shard count, or the index map's length. */
  readonly shards: number;
  readonly migrateConcurrency?: number;
  /** s3://…/retries/retry-N.json: child i counts shard map[i] (see index-map.ts). */
  readonly indexMap?: string;
}

export interface MergeStageOptions {
  readonly destination: string;
  readonly plan: string;
  /** Extra merge flags (--top, --output, --min-length, ...), passed through as given. */
  readonly mergeArgs?: readonly string[];
}

export interface PipelineOptions {
  /** s3://bucket/prefix to count. */
  readonly source: string;
  /** s3://bucket/folder/ for results. */
  readonly destination: string;
  /** The number of shards, fixed before planning so the array size is known at submission. */
  readonly shards: number;
  /** Names the run and its plan; letters, digits, `-` and `_`. */
  readonly name: string;
  /** s3://…/NAME.json; default: plans/NAME.json in the destination's bucket. */
  readonly plan?: string;
  readonly tokenizer?: 'unicode' | 'whitespace';
  readonly perFile?: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly migrateConcurrency?: number;
  /** Extra merge flags (--top, --output, --min-length, ...), passed through as given. */
  readonly mergeArgs?: readonly string[];
}

/** Run names become job and object names: 1-64 letters, digits, `-` or `_`, starting alphanumeric. */
export const RUN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Throws a RangeError naming the rule when `name` cannot name a run. */
export function assertRunName(name: string): void {
  if (!RUN_NAME_PATTERN.test(name)) {
    throw new RangeError(`run name must be 1-64 letters, digits, - or _, starting with a letter or digit, got "${name}"`);
  }
}

/** The plan location a run uses when none is given: `s3://<destination bucket>/plans/<name>.json`. */
export function defaultPlanUri(destination: string, name: string): string {
  const bucket = destination.replace(/^s3:\/\//, '').split('/')[0];
  return `s3://${bucket}/plans/${name}.json`;
}

export function describePlanStage(options: PlanStageOptions): StageInvocation {
  const args = [
    '--source', options.source,
    '--destination', options.destination,
    '--plan', options.plan,
    '--shards', String(options.shards),
    ...(options.tokenizer ? ['--tokenizer', options.tokenizer] : []),
    ...(options.perFile ? ['--per-file'] : []),
    ...(options.include ?? []).flatMap((glob) => ['--include', glob]),
    ...(options.exclude ?? []).flatMap((glob) => ['--exclude', glob]),
  ];
  return { stage: STAGES.plan.name, args, arraySize: 1, dependsOn: [] };
}

export function describeMigrateStage(options: MigrateStageOptions): StageInvocation {
  const args = [
    '--plan', options.plan,
    ...(options.migrateConcurrency ? ['--concurrency', String(options.migrateConcurrency)] : []),
    ...(options.indexMap ? ['--index-map', options.indexMap] : []),
  ];
  return { stage: STAGES.migrate.name, args, arraySize: options.shards, dependsOn: [] };
}

export function describeMergeStage(options: MergeStageOptions): StageInvocation {
  const args = ['--source', options.destination, '--plan', options.plan, ...(options.mergeArgs ?? [])];
  return { stage: STAGES.merge.name, args, arraySize: 1, dependsOn: [] };
}

/** Builds the run description from the user's options, in one place for every executor. */
export function describePipeline(options: PipelineOptions): PipelineRun {
  assertRunName(options.name);
  const plan = options.plan ?? defaultPlanUri(options.destination, options.name);
  return {
    name: options.name,
    plan,
    destination: options.destination,
    stages: [
      describePlanStage({ ...options, plan }),
      { ...describeMigrateStage({ ...options, plan }), dependsOn: ['plan'] },
      { ...describeMergeStage({ ...options, plan }), dependsOn: ['migrate'] },
    ],
  };
}
