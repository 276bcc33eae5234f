import { combineFlags, flag, omitFlags, parseCommandLine, renderHelp, type CommandLine, type FlagSet, type FlagValues } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import {
  defaultPlanUri,
  describeMergeStage,
  describeMigrateStage,
  describePipeline,
  describePlanStage,
  RUN_NAME_PATTERN,
  STAGE_NAMES,
  STAGES,
  type PipelineRun,
  type StageFlagValues,
  type StageName,
} from '@wordbatch/pipeline';
import { asFolder, formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { AWS_ENVIRONMENT, LOG_ENVIRONMENT, MERGE_FLAGS, MIGRATE_FLAGS, PLAN_FLAGS } from '@wordbatch/stage-commands';
import { DEFAULT_COMPUTE, parsePriceFlags, parseThroughputFlag, type ComputeAssumptions, type UnitPrices } from '@wordbatch/cost';
import { parseShareIdentifier, type TargetFlags } from './target';

/** What `submit` submits: the whole run, or one stage of it (the seed's workflow). */
export type SubmitScope = 'pipeline' | StageName;

/** Without --shards the array size would be unknown until plan has run. */
export const DEFAULT_SUBMIT_SHARDS = 10;
export const DEFAULT_INTERVAL_SECONDS = 15;

/** A Batch job id (`<uuid>`, or `<uuid>:<index>` for one array child). */
export function checkJobId(value: string, flagText: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_:-]{0,127}$/.test(value)) throw new UsageError(`${flagText} must be an AWS Batch job id, got "${value}"`);
}

/** The flags that say where and how jobs are submitted and watched; submit, status and retry-failed share them. */
export const WATCH_FLAGS = {
  wait: flag.switch({ help: 'then watch the jobs until they finish, and exit with the outcome' }),
  interval: flag.integerWithDefault(1, 3600, { help: 'seconds between two looks with --wait', default: DEFAULT_INTERVAL_SECONDS, placeholder: 'SECONDS' }),
} as const;

const TARGET_FLAGS = {
  queue: flag.text('NAME', { help: 'the job queue (name or ARN)' }),
  infraOutputs: flag.text('FILE', { help: '`terraform output -json` of the infra stack: queue, job definitions, log group' }),
  jobDefinitionPrefix: flag.text('P', { help: 'job definitions P-plan, P-migrate, P-merge (default wordbatch)' }),
  shareIdentifier: flag.text('ID', { help: 'fair-share queues only (they require it; other queues refuse it)', check: (text) => parseShareIdentifier(text) }),
  dryRun: flag.switch({
    help: 'print the SubmitJob requests instead of sending them (every stage command is checked first); with --source, also list it and log what the run will cost',
  }),
  ...WATCH_FLAGS,
  throughputPerVcpu: flag.text('MB', {
    help: `MB/s migrate counts per vCPU, for --dry-run's cost estimate (default ${DEFAULT_COMPUTE.megabytesPerSecondPerVcpu}, as npm run bench measures)`,
    check: (text) => parseThroughputFlag(text, DEFAULT_COMPUTE.megabytesPerSecondPerVcpu),
  }),
  name: flag.text('NAME', {
    help: 'names the run, its jobs (NAME-plan, ...) and its plan (default: the --plan file name, else run-YYYYMMDD-HHMMSS in UTC)',
    check: (text, flagText) => {
      if (!RUN_NAME_PATTERN.test(text)) throw new UsageError(`${flagText} must be 1-64 letters, digits, - or _, starting with a letter or digit, got "${text}"`);
    },
  }),
} as const;

const definitionFlag = (stage: StageName) => flag.text('NAME', { help: `${stage}'s job definition (name, name:revision or ARN)` });
const DEFINITION_FLAGS = {
  planJobDefinition: definitionFlag('plan'),
  migrateJobDefinition: definitionFlag('migrate'),
  mergeJobDefinition: definitionFlag('merge'),
} as const;

const DEPENDS_ON = {
  dependsOn: flag.texts('JOB_ID', { help: 'a job this stage waits for', check: checkJobId }),
} as const;

const shards = flag.withDefault(PLAN_FLAGS.shards, DEFAULT_SUBMIT_SHARDS, String(DEFAULT_SUBMIT_SHARDS));
/** Plan's flags as submit takes them: --plan may be left to the run name, --shards has a default (the array size). */
const PLAN_FLAGS_FOR_SUBMIT = { ...omitFlags(PLAN_FLAGS, ['shardBytes']), plan: flag.optional(PLAN_FLAGS.plan), shards };
/** Migrate's flags less those the submitter sets per child (the index) or per retry (the map). */
const MIGRATE_FLAGS_FOR_SUBMIT = omitFlags(MIGRATE_FLAGS, ['index', 'indexMap']);

// Every flag of a stage that the submitter does not set itself comes from the stage's own
// definition: a flag added to a stage is a flag of submit at once, with the same parser.
const PIPELINE_FLAGS = {
  ...combineFlags(combineFlags(PLAN_FLAGS_FOR_SUBMIT, omitFlags(MIGRATE_FLAGS_FOR_SUBMIT, ['plan'])), omitFlags(MERGE_FLAGS, ['destination', 'plan'])),
  ...TARGET_FLAGS,
  ...DEFINITION_FLAGS,
} as const;
// merge's --price (the whole run's and merge's own come from MERGE_FLAGS): the estimate of --dry-run uses it.
const PLAN_SCOPE_FLAGS = { ...PLAN_FLAGS_FOR_SUBMIT, ...TARGET_FLAGS, price: MERGE_FLAGS.price, planJobDefinition: DEFINITION_FLAGS.planJobDefinition, ...DEPENDS_ON } as const;
const MIGRATE_SCOPE_FLAGS = {
  ...MIGRATE_FLAGS_FOR_SUBMIT,
  shards: flag.required(PLAN_FLAGS.shards),
  ...TARGET_FLAGS,
  price: MERGE_FLAGS.price,
  migrateJobDefinition: DEFINITION_FLAGS.migrateJobDefinition,
  ...DEPENDS_ON,
} as const;
const MERGE_SCOPE_FLAGS = {
  ...MERGE_FLAGS,
  plan: flag.required(MERGE_FLAGS.plan),
  ...TARGET_FLAGS,
  mergeJobDefinition: DEFINITION_FLAGS.mergeJobDefinition,
  ...DEPENDS_ON,
} as const;

const SUBMIT_ENVIRONMENT = [...AWS_ENVIRONMENT, LOG_ENVIRONMENT];
const SUBMIT_EPILOGUE = `Every stage's command is built with that stage's own definition and checked by its own parser
before anything is submitted (also with --dry-run): a value merge would refuse fails here, with exit 2.
Exit codes: 0 submitted (with --wait: succeeded), 2 bad usage or refused by Batch, 4 access denied,
5 (--wait) the run failed, 75 throttled or Batch unavailable (retry), 130 interrupted, 143 stopped.`;

export const SUBMIT_COMMAND: CommandLine<typeof PIPELINE_FLAGS> = {
  program: 'wordbatch submit',
  summary: 'run the pipeline on AWS Batch, all stages submitted at once',
  usage: [
    'wordbatch submit --queue Q --source s3://SRC/PREFIX/ --destination s3://DST/out/ [options]',
    'wordbatch submit plan|migrate|merge [options] [--depends-on JOB_ID]...    (one stage; `wordbatch submit plan --help`)',
  ],
  description: `Submits plan, then migrate as an array job of --shards children depending on plan, then merge
depending on migrate (a 1-shard run submits migrate as a plain job), and prints the job ids,
console links and log locations. The plan travels through S3, never through the jobs.
The flags of plan, migrate and merge are theirs (see their --help); each goes to its stage.`,
  flags: PIPELINE_FLAGS,
  environment: SUBMIT_ENVIRONMENT,
  examples: [
    'wordbatch submit --queue wordbatch-queue --source s3://corpus/books/ --destination s3://results/out/ --shards 200 --wait',
    "wordbatch submit --infra-outputs outputs.json --source s3://corpus/logs/ --destination s3://results/out/ --name logs --tokenizer whitespace --include '*.log' --top 20 --dry-run",
    'wordbatch submit --queue shared-queue --share-identifier teamA --source s3://corpus/a/ --destination s3://results/out/',
  ],
  epilogue: SUBMIT_EPILOGUE,
};

const scopeCommand = <F extends typeof PLAN_SCOPE_FLAGS | typeof MIGRATE_SCOPE_FLAGS | typeof MERGE_SCOPE_FLAGS>(
  stage: StageName,
  flags: F,
  usage: string,
  example: string,
): CommandLine<F> => ({
  program: `wordbatch submit ${stage}`,
  summary: `submit ${stage} alone, as one step of the seed's workflow`,
  usage: [usage],
  flags,
  environment: SUBMIT_ENVIRONMENT,
  examples: [example],
  epilogue: SUBMIT_EPILOGUE,
});

export const SUBMIT_SCOPE_COMMANDS = {
  plan: scopeCommand(
    'plan',
    PLAN_SCOPE_FLAGS,
    'wordbatch submit plan --source URI --destination URI [--plan URI | --name NAME] --shards N [plan flags]',
    'wordbatch submit plan --queue q --source s3://corpus/books/ --destination s3://results/out/ --name books --shards 20',
  ),
  migrate: scopeCommand(
    'migrate',
    MIGRATE_SCOPE_FLAGS,
    'wordbatch submit migrate --plan URI --shards N [migrate flags] --depends-on PLAN_JOB',
    'wordbatch submit migrate --queue q --plan s3://results/plans/books.json --shards 20 --depends-on PLAN_JOB_ID',
  ),
  merge: scopeCommand(
    'merge',
    MERGE_SCOPE_FLAGS,
    'wordbatch submit merge --destination URI --plan URI [merge flags] --depends-on MIGRATE_JOB',
    'wordbatch submit merge --queue q --destination s3://results/out/ --plan s3://results/plans/books.json --top 20 --depends-on MIGRATE_JOB_ID',
  ),
} as const;

export interface SubmitOptions {
  readonly scope: SubmitScope;
  /** The run name (job names `<name>-<stage>`); default: the plan's file name, else `run-<UTC time>`. */
  readonly name?: string;
  /** Every stage flag given, as the stages' own definitions parsed them. */
  readonly stageFlags: StageFlagValues;
  readonly target: TargetFlags;
  /** Job ids the submitted stage waits for (per-stage submission). */
  readonly dependsOn: readonly string[];
  readonly dryRun: boolean;
  /** What --dry-run's cost estimate assumes: migrate's sizing (its job definition's) and the unit prices. */
  readonly cost: { readonly compute: ComputeAssumptions; readonly prices: UnitPrices };
  /** For the cost estimate: the source as given, its filters, the shard count and --per-file. */
  readonly source?: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly shards: number;
  readonly perFile: boolean;
  /** How --dry-run lists the source for its estimate: as plan would (plan's --list-concurrency, --list-depth). */
  readonly listConcurrency: number;
  readonly listDepth: number;
  readonly wait: boolean;
  /** Seconds between two looks with --wait. */
  readonly interval: number;
}

function scopeOf(argv: readonly string[]): SubmitScope {
  const first = argv[0];
  return first !== undefined && (STAGE_NAMES as readonly string[]).includes(first) ? (first as StageName) : 'pipeline';
}

/** submit's help: the whole run's, or one stage's with `submit plan --help`. */
export function submitHelp(argv: readonly string[]): string {
  const scope = scopeOf(argv);
  return scope === 'pipeline' ? renderHelp(SUBMIT_COMMAND) : renderHelp(SUBMIT_SCOPE_COMMANDS[scope] as unknown as CommandLine<FlagSet>);
}

type AnySubmitValues = Partial<FlagValues<typeof PIPELINE_FLAGS> & FlagValues<typeof PLAN_SCOPE_FLAGS> & FlagValues<typeof MIGRATE_SCOPE_FLAGS> & FlagValues<typeof MERGE_SCOPE_FLAGS>>;

export function parseSubmitOptions(argv: readonly string[]): SubmitOptions {
  const scope = scopeOf(argv);
  const values: AnySubmitValues =
    scope === 'pipeline'
      ? parseCommandLine(SUBMIT_COMMAND, argv)
      : (parseCommandLine(SUBMIT_SCOPE_COMMANDS[scope] as unknown as CommandLine<FlagSet>, argv.slice(1)) as AnySubmitValues);
  const { name, queue, infraOutputs, jobDefinitionPrefix, shareIdentifier, dryRun, wait, interval, dependsOn, shards: shardCount, throughputPerVcpu, ...stageFlags } = values;
  return {
    scope,
    name,
    stageFlags: { ...stageFlags, destination: stageFlags.destination && asFolder(stageFlags.destination) },
    shards: shardCount ?? DEFAULT_SUBMIT_SHARDS,
    source: stageFlags.source && formatS3Path(stageFlags.source),
    include: stageFlags.include ?? [],
    exclude: stageFlags.exclude ?? [],
    perFile: stageFlags.perFile ?? false,
    listConcurrency: stageFlags.listConcurrency ?? PLAN_FLAGS.listConcurrency.read([], '--list-concurrency'),
    listDepth: stageFlags.listDepth ?? PLAN_FLAGS.listDepth.read([], '--list-depth'),
    cost: {
      compute: {
        ...DEFAULT_COMPUTE,
        megabytesPerSecondPerVcpu: parseThroughputFlag(throughputPerVcpu, DEFAULT_COMPUTE.megabytesPerSecondPerVcpu),
        vcpusPerChild: STAGES.migrate.vcpus,
        memoryMiBPerChild: STAGES.migrate.memoryMiB,
      },
      prices: parsePriceFlags(stageFlags.price ?? []),
    },
    target: {
      queue,
      infraOutputs,
      jobDefinitionPrefix,
      jobDefinitions: Object.fromEntries(
        STAGE_NAMES.flatMap((stage) => {
          const value = values[`${stage}JobDefinition`];
          return value === undefined ? [] : [[stage, value]];
        }),
      ),
      shareIdentifier,
    },
    dependsOn: dependsOn ?? [],
    dryRun: dryRun ?? false,
    wait: wait ?? false,
    interval: interval ?? DEFAULT_INTERVAL_SECONDS,
  };
}

/** `run-20250314-092653`: a default run name that sorts by time and never repeats by accident. */
export function timestampRunName(now: Date): string {
  const text = now.toISOString().replace(/[-:]/g, '').replace('T', '-');
  return `run-${text.slice(0, 15)}`;
}

function runName(options: SubmitOptions, now: Date): string {
  if (options.name !== undefined) return options.name;
  const fromPlan = options.stageFlags.plan?.key.split('/').at(-1)?.replace(/\.json$/, '');
  return fromPlan !== undefined && RUN_NAME_PATTERN.test(fromPlan) ? fromPlan : timestampRunName(now);
}

/**
 * The run `submit` submits, built by the same description functions as `local` uses
 * (describePipeline for the whole run, its per-stage parts for one stage), each of which
 * checks its stage's command with the stage's own parser: a bad value fails here.
 */
export function describeSubmission(options: SubmitOptions, now: Date): PipelineRun {
  const name = runName(options, now);
  const flags = options.stageFlags;
  const shardCount = options.shards;
  if (options.scope === 'pipeline') {
    return describePipeline({ ...flags, destination: flags.destination as S3Path, shards: shardCount, name });
  }
  if (options.scope === 'migrate') {
    const plan = flags.plan as S3Path;
    return { name, plan: formatS3Path(plan), destination: '', stages: [describeMigrateStage({ ...flags, plan, arraySize: shardCount })] };
  }
  const destination = flags.destination as S3Path;
  const plan = flags.plan ?? defaultPlanUri(destination, name);
  const stage =
    options.scope === 'plan'
      ? describePlanStage({ ...flags, destination, plan, shards: shardCount })
      : describeMergeStage({ ...flags, destination, plan });
  return { name, plan: formatS3Path(plan), destination: formatS3Path(destination), stages: [stage] };
}
