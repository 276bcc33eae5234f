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

/** The plan location a run uses when none is given: `s3://<destination bucket>/plans/<name>.json`. */
export function defaultPlanUri(destination: string, name: string): string {
  const bucket = destination.replace(/^s3:\/\//, '').split('/')[0];
  return `s3://${bucket}/plans/${name}.json`;
}

/** Builds the run description from the user's options, in one place for every executor. */
export function describePipeline(options: PipelineOptions): PipelineRun {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(options.name)) {
    throw new RangeError(`run name must be 1-64 letters, digits, - or _, starting with a letter or digit, got "${options.name}"`);
  }
  const plan = options.plan ?? defaultPlanUri(options.destination, options.name);
  const planArgs = [
    '--source', options.source,
    '--destination', options.destination,
    '--plan', plan,
    '--shards', String(options.shards),
    ...(options.tokenizer ? ['--tokenizer', options.tokenizer] : []),
    ...(options.perFile ? ['--per-file'] : []),
    ...(options.include ?? []).flatMap((glob) => ['--include', glob]),
    ...(options.exclude ?? []).flatMap((glob) => ['--exclude', glob]),
  ];
  const migrateArgs = [
    '--plan', plan,
    ...(options.migrateConcurrency ? ['--concurrency', String(options.migrateConcurrency)] : []),
  ];
  const mergeArgs = ['--source', options.destination, '--plan', plan, ...(options.mergeArgs ?? [])];
  return {
    name: options.name,
    plan,
    destination: options.destination,
    stages: [
      { stage: STAGES.plan.name, args: planArgs, arraySize: 1, dependsOn: [] },
      { stage: STAGES.migrate.name, args: migrateArgs, arraySize: options.shards, dependsOn: ['plan'] },
      { stage: STAGES.merge.name, args: mergeArgs, arraySize: 1, dependsOn: ['migrate'] },
    ],
  };
}
