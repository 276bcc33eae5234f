import { formatS3Path, asFolder } from '@wordbatch/s3-path';
import { parseChoiceFlag, parseFlags, parseIntegerFlag, parseS3Flag, requireFlag, type FlagSpecs } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import {
  describeMergeStage,
  describeMigrateStage,
  describePipeline,
  describePlanStage,
  defaultPlanUri,
  RUN_NAME_PATTERN,
  STAGE_NAMES,
  STAGES,
  type PipelineRun,
  type StageName,
} from '@wordbatch/pipeline';
import { MAX_SHARDS } from '@wordbatch/plan-schema';
import { DEFAULT_COMPUTE, parsePriceFlags, parseThroughputFlag, PRICE_FLAG_HELP, type ComputeAssumptions, type UnitPrices } from '@wordbatch/cost';
import { parseShareIdentifier, type TargetFlags } from './target';
import { MERGE_FLAGS, mergePassThroughArgs } from '../merge-flags';

/** What `submit` submits: the whole run, or one stage of it (the seed's workflow). */
export type SubmitScope = 'pipeline' | StageName;

export interface SubmitOptions {
  readonly scope: SubmitScope;
  /** The run name (job names `<name>-<stage>`); default: the plan's file name, else `run-<UTC time>`. */
  readonly name?: string;
  readonly source?: string;
  readonly destination?: string;
  readonly plan?: string;
  readonly shards: number;
  readonly tokenizer: 'unicode' | 'whitespace';
  readonly perFile: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly migrateConcurrency?: number;
  readonly mergeArgs: readonly string[];
  readonly target: TargetFlags;
  /** Job ids the submitted stage waits for (per-stage submission). */
  readonly dependsOn: readonly string[];
  readonly dryRun: boolean;
  /** What --dry-run's cost estimate assumes: migrate's sizing (its job definition's) and the unit prices. */
  readonly cost: { readonly compute: ComputeAssumptions; readonly prices: UnitPrices };
  readonly wait: boolean;
  readonly intervalSeconds: number;
}

/** Without --shards the array size would be unknown until plan has run. */
export const DEFAULT_SUBMIT_SHARDS = 10;
export const DEFAULT_INTERVAL_SECONDS = 15;

export const TARGET_HELP = `  --queue NAME                 the job queue (name or ARN)
  --infra-outputs FILE         \`terraform output -json\` of the infra stack: queue, job definitions, log group
  --job-definition-prefix P    job definitions P-plan, P-migrate, P-merge (default wordbatch)
  --plan-job-definition NAME, --migrate-job-definition NAME, --merge-job-definition NAME
                               one stage's job definition (name, name:revision or ARN)
  --share-identifier ID        fair-share queues only (they require it; other queues refuse it)
  --dry-run                    print the SubmitJob requests instead of sending them; with --source, also
                               list it and log what the run will cost (objects, requests, vCPU- and GB-hours, dollars)
  --throughput-per-vcpu MB     MB/s migrate counts per vCPU, for the estimate (default ${DEFAULT_COMPUTE.megabytesPerSecondPerVcpu}, as npm run bench measures)
  ${PRICE_FLAG_HELP}
  --wait                       then watch the jobs until they finish, and exit with the outcome
  --interval SECONDS           between two looks with --wait (default ${DEFAULT_INTERVAL_SECONDS})`;

export const SUBMIT_HELP = `wordbatch submit: run the pipeline on AWS Batch, all stages submitted at once

Usage:
  wordbatch submit --queue Q --source s3://SRC/PREFIX/ --destination s3://DST/out/ [options]
  wordbatch submit plan|migrate|merge [options] [--depends-on JOB_ID]...    (one stage; see below)

Submits plan, then migrate as an array job of --shards children depending on plan, then merge
depending on migrate (a 1-shard run submits migrate as a plain job), and prints the job ids,
console links and log locations. The plan travels through S3, never through the jobs.

Run options:
  --source URI                 folder to count
  --destination URI            folder for results (the infra stack grants s3://DST/out/)
  --shards N                   migrate children, 1-${MAX_SHARDS} (default ${DEFAULT_SUBMIT_SHARDS}; about total bytes / 4 GiB)
  --name NAME                  names the run, its jobs (NAME-plan, ...) and its plan
                               (default: the --plan file name, else run-YYYYMMDD-HHMMSS in UTC)
  --plan URI                   where plan writes the plan (default s3://DST/plans/NAME.json)
  --tokenizer NAME, --per-file, --include GLOB, --exclude GLOB        passed to plan
  --concurrency K              objects each migrate child reads at once
  --top N, --min-length N, --min-count N, --stopwords LIST, --output table|json|csv, --allow-partial
                               passed to merge
Where to submit:
${TARGET_HELP}
  -h, --help                   show this help

One stage at a time (the seed's workflow): each takes the run options its stage needs and
--depends-on JOB_ID (repeatable) for the jobs it must wait for:
  submit plan    --source URI --destination URI [--plan URI | --name NAME] --shards N [plan flags]
  submit migrate --plan URI --shards N [--concurrency K] --depends-on PLAN_JOB
  submit merge   --destination URI --plan URI [merge flags] --depends-on MIGRATE_JOB

Examples:
  wordbatch submit --queue wordbatch-queue --source s3://corpus/books/ --destination s3://results/out/ --shards 200 --wait
  wordbatch submit --infra-outputs outputs.json --source s3://corpus/logs/ --destination s3://results/out/ \\
    --name logs --tokenizer whitespace --include '*.log' --top 20 --dry-run
  wordbatch submit --queue shared-queue --share-identifier teamA --source s3://corpus/a/ --destination s3://results/out/

Exit codes: 0 submitted (with --wait: succeeded), 2 bad usage or refused by Batch, 4 access denied,
5 (--wait) the run failed, 75 throttled or Batch unavailable (retry), 143 stopped.
`;

const TARGET_FLAGS = {
  queue: { type: 'string' },
  'infra-outputs': { type: 'string' },
  'job-definition-prefix': { type: 'string' },
  'share-identifier': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'throughput-per-vcpu': { type: 'string' },
  price: { type: 'string', multiple: true },
  wait: { type: 'boolean' },
  interval: { type: 'string' },
  name: { type: 'string' },
} as const;

const PLAN_FLAGS = {
  source: { type: 'string' },
  destination: { type: 'string' },
  plan: { type: 'string' },
  shards: { type: 'string' },
  tokenizer: { type: 'string' },
  'per-file': { type: 'boolean' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
} as const;

function definitionFlags(stages: readonly StageName[]): FlagSpecs {
  return Object.fromEntries(stages.map((stage) => [`${stage}-job-definition`, { type: 'string' }]));
}

const FLAGS_BY_SCOPE: Readonly<Record<SubmitScope, FlagSpecs>> = {
  pipeline: { ...TARGET_FLAGS, ...PLAN_FLAGS, concurrency: { type: 'string' }, ...MERGE_FLAGS, ...definitionFlags(STAGE_NAMES) },
  plan: { ...TARGET_FLAGS, ...PLAN_FLAGS, 'depends-on': { type: 'string', multiple: true }, ...definitionFlags(['plan']) },
  migrate: {
    ...TARGET_FLAGS,
    plan: { type: 'string' },
    shards: { type: 'string' },
    concurrency: { type: 'string' },
    'depends-on': { type: 'string', multiple: true },
    ...definitionFlags(['migrate']),
  },
  merge: {
    ...TARGET_FLAGS,
    destination: { type: 'string' },
    plan: { type: 'string' },
    ...MERGE_FLAGS,
    'depends-on': { type: 'string', multiple: true },
    ...definitionFlags(['merge']),
  },
};

type LooseFlags = Record<string, string | string[] | boolean | undefined>;

function stringFlag(flags: LooseFlags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

function listFlag(flags: LooseFlags, name: string): string[] {
  const value = flags[name];
  return Array.isArray(value) ? value : [];
}

/** A Batch job id (`<uuid>`, or `<uuid>:<index>` for one array child). */
export function parseJobId(value: string, flag: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_:-]{0,127}$/.test(value)) throw new UsageError(`--${flag} must be an AWS Batch job id, got "${value}"`);
  return value;
}

export function parseIntervalFlag(value: string | undefined): number {
  return value === undefined ? DEFAULT_INTERVAL_SECONDS : parseIntegerFlag(value, 'interval', 1, 3600);
}

export function parseSubmitOptions(argv: readonly string[]): SubmitOptions {
  const first = argv[0];
  const scope: SubmitScope = first !== undefined && (STAGE_NAMES as readonly string[]).includes(first) ? (first as StageName) : 'pipeline';
  const flags = parseFlags(scope === 'pipeline' ? argv : argv.slice(1), FLAGS_BY_SCOPE[scope]) as LooseFlags;
  const needs = (name: string) => formatS3Path(parseS3Flag(stringFlag(flags, name), name));
  const optionalS3 = (name: string) => (stringFlag(flags, name) === undefined ? undefined : needs(name));

  const name = stringFlag(flags, 'name');
  if (name !== undefined && !RUN_NAME_PATTERN.test(name)) {
    throw new UsageError(`--name must be 1-64 letters, digits, - or _, starting with a letter or digit, got "${name}"`);
  }
  const usesSource = scope === 'pipeline' || scope === 'plan';
  const usesDestination = scope !== 'migrate';
  const destination = usesDestination ? formatS3Path(asFolder(parseS3Flag(stringFlag(flags, 'destination'), 'destination'))) : undefined;
  const plan = scope === 'migrate' || scope === 'merge' ? needs('plan') : optionalS3('plan');
  const shardsFlag = stringFlag(flags, 'shards');
  if (scope === 'migrate') requireFlag(shardsFlag, 'shards');
  const mergeArgs = mergePassThroughArgs(flags);
  const concurrency = stringFlag(flags, 'concurrency');

  return {
    scope,
    name,
    source: usesSource ? needs('source') : undefined,
    destination,
    plan,
    shards: shardsFlag === undefined ? DEFAULT_SUBMIT_SHARDS : parseIntegerFlag(shardsFlag, 'shards', 1, MAX_SHARDS),
    tokenizer: parseChoiceFlag(stringFlag(flags, 'tokenizer') ?? 'unicode', 'tokenizer', ['unicode', 'whitespace'] as const),
    perFile: flags['per-file'] === true,
    include: listFlag(flags, 'include'),
    exclude: listFlag(flags, 'exclude'),
    migrateConcurrency: concurrency === undefined ? undefined : parseIntegerFlag(concurrency, 'concurrency', 1, 256),
    mergeArgs,
    target: {
      queue: stringFlag(flags, 'queue'),
      infraOutputs: stringFlag(flags, 'infra-outputs'),
      jobDefinitionPrefix: stringFlag(flags, 'job-definition-prefix'),
      jobDefinitions: Object.fromEntries(
        STAGE_NAMES.flatMap((stage) => {
          const value = stringFlag(flags, `${stage}-job-definition`);
          return value === undefined ? [] : [[stage, value]];
        }),
      ),
      shareIdentifier: parseShareIdentifier(stringFlag(flags, 'share-identifier')),
    },
    dependsOn: listFlag(flags, 'depends-on').map((jobId) => parseJobId(jobId, 'depends-on')),
    dryRun: flags['dry-run'] === true,
    cost: {
      compute: {
        ...DEFAULT_COMPUTE,
        megabytesPerSecondPerVcpu: parseThroughputFlag(stringFlag(flags, 'throughput-per-vcpu'), DEFAULT_COMPUTE.megabytesPerSecondPerVcpu),
        vcpusPerChild: STAGES.migrate.vcpus,
        memoryMiBPerChild: STAGES.migrate.memoryMiB,
      },
      prices: parsePriceFlags(listFlag(flags, 'price')),
    },
    wait: flags['wait'] === true,
    intervalSeconds: parseIntervalFlag(stringFlag(flags, 'interval')),
  };
}

/** `run-20250314-092653`: a default run name that sorts by time and never repeats by accident. */
export function timestampRunName(now: Date): string {
  const text = now.toISOString().replace(/[-:]/g, '').replace('T', '-');
  return `run-${text.slice(0, 15)}`;
}

function runName(options: SubmitOptions, now: Date): string {
  if (options.name !== undefined) return options.name;
  const fromPlan = options.plan?.split('/').at(-1)?.replace(/\.json$/, '');
  return fromPlan !== undefined && RUN_NAME_PATTERN.test(fromPlan) ? fromPlan : timestampRunName(now);
}

/**
 * The run `submit` submits, built by the same description functions as `local` uses
 * (describePipeline for the whole run, its per-stage parts for one stage).
 */
export function describeSubmission(options: SubmitOptions, now: Date): PipelineRun {
  const name = runName(options, now);
  const destination = options.destination ?? '';
  if (options.scope === 'pipeline') {
    return describePipeline({ ...options, source: options.source ?? '', destination, name });
  }
  const plan = options.plan ?? defaultPlanUri(destination, name);
  const stage =
    options.scope === 'plan'
      ? describePlanStage({ ...options, source: options.source ?? '', destination, plan })
      : options.scope === 'migrate'
        ? describeMigrateStage({ ...options, plan })
        : describeMergeStage({ ...options, destination, plan });
  return { name, plan, destination, stages: [stage] };
}
