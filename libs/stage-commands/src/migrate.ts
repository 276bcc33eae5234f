import { flag, formatCommandLine, parseCommandLine, type CommandLine, type FlagValues } from '@wordbatch/command-line';
import { UsageError } from '@wordbatch/errors';
import type { S3Path } from '@wordbatch/s3-path';
import { STAGE_ENVIRONMENT } from './environment';
import { MAX_SHARDS } from '@wordbatch/plan-schema';

export const DEFAULT_CONCURRENCY = 16;
export const MAX_CONCURRENCY = 256;
const MiB = 1024 * 1024;
export const DEFAULT_SPLIT_ABOVE_BYTES = 32 * MiB;
export const DEFAULT_PART_BYTES = 8 * MiB;
/**
 * Four 8 MiB GETs at S3's ~90 MB/s a stream outrun two counting cores; each part held costs its
 * 8 MiB and, until V8 collects the network buffers it came in, about as much again: 8 in flight
 * put a 1 GiB object at ~300 MiB peak RSS on two cores (docs/performance.md).
 */
export const DEFAULT_PARTS_IN_FLIGHT = 4;
/** A part is held whole in memory until counted. */
const MAX_PART_BYTES = 1024 * MiB;
const MIN_PART_BYTES = 64 * 1024;
const MAX_PARTS_IN_FLIGHT = 256;

/** The variables that schedulers use to tell an array child its index, in order of preference. */
export const INDEX_VARIABLES = ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX'] as const;

/** migrate's flags: the one place each is named, typed, constrained and explained. */
export const MIGRATE_FLAGS = {
  plan: flag.s3Uri({ help: 'the plan written by `wordbatch plan`', required: true }),
  index: flag.integer(0, MAX_SHARDS - 1, {
    help: 'the shard to count; default: $AWS_BATCH_JOB_ARRAY_INDEX, else $JOB_COMPLETION_INDEX, else 0 for a one-shard plan',
  }),
  concurrency: flag.integerWithDefault(1, MAX_CONCURRENCY, { help: 'objects read at once', default: DEFAULT_CONCURRENCY, placeholder: 'K' }),
  splitAbove: flag.sizeWithDefault(1, Number.MAX_SAFE_INTEGER, {
    help: 'objects of at least SIZE are read as parallel ranged GETs and their text is cut at newlines into pieces counted on every core',
    default: DEFAULT_SPLIT_ABOVE_BYTES,
  }),
  partSize: flag.sizeWithDefault(MIN_PART_BYTES, MAX_PART_BYTES, { help: 'bytes per ranged GET and per piece', default: DEFAULT_PART_BYTES }),
  partsInFlight: flag.integerWithDefault(1, MAX_PARTS_IN_FLIGHT, {
    help: 'ranged GETs fetched ahead and not yet counted, for the whole shard: memory is about K x part size',
    default: DEFAULT_PARTS_IN_FLIGHT,
    placeholder: 'K',
  }),
  indexMap: flag.s3Uri({
    help: 'a JSON array of shard indices (<destination>/<plan id>/retries/retry-N.json, written by `wordbatch retry-failed`): the index picks an entry, that entry is the shard',
  }),
} as const;

export type MigrateFlagValues = FlagValues<typeof MIGRATE_FLAGS>;

/** Where the shard index came from, so an error can name it. */
export interface IndexChoice {
  readonly value: number;
  readonly from: string;
}

export interface MigrateOptions {
  readonly plan: S3Path;
  /** Undefined: no flag nor variable was set; only a one-shard plan allows that. */
  readonly index?: IndexChoice;
  readonly concurrency: number;
  /** A retry's map of shard indices: the index above picks an entry, and that entry is the shard. */
  readonly indexMap?: S3Path;
  /** Objects of at least this many bytes are read as ranged GETs and counted on every thread. */
  readonly splitAboveBytes: number;
  /** The size of each ranged GET (and of each piece of text a counting thread takes). */
  readonly partBytes: number;
  /** Ranged parts fetched ahead and not yet counted, across the shard: memory is about this times partBytes. */
  readonly partsInFlight: number;
}

export const MIGRATE_COMMAND: CommandLine<typeof MIGRATE_FLAGS> = {
  program: 'wordbatch migrate',
  summary: 'count the words of one shard of a plan',
  usage: ['wordbatch migrate --plan s3://BUCKET/plans/NAME.json [--index N] [--concurrency K] [--index-map URI] [--split-above SIZE] [--part-size SIZE] [--parts-in-flight K]'],
  flags: MIGRATE_FLAGS,
  environment: [
    { name: 'AWS_BATCH_JOB_ARRAY_INDEX', help: 'the shard, for an AWS Batch array child (when --index is not given)' },
    { name: 'JOB_COMPLETION_INDEX', help: 'the shard, for a Kubernetes Indexed Job (when neither of the above is set)' },
    ...STAGE_ENVIRONMENT,
  ],
  examples: [
    'wordbatch migrate --plan s3://results/plans/books.json --index 3',
    'AWS_BATCH_JOB_ARRAY_INDEX=3 wordbatch migrate --plan s3://results/plans/books.json',
    'AWS_BATCH_JOB_ARRAY_INDEX=1 wordbatch migrate --plan s3://results/plans/books.json --index-map s3://results/out/<plan id>/retries/retry-1.json',
  ],
  epilogue: `Writes <destination>/<plan id>/shards/shard-NNNNN.tsv (a JSON header line, then word<TAB>count lines);
re-running a shard rewrites the same bytes. Its timing (start, duration) goes to
<destination>/<plan id>/timings/shard-NNNNN.json. Binary objects (with a NUL byte) are skipped and listed.
Every GET, ranged or whole, is pinned to the planned ETag (If-Match). Compressed objects
(gzip, zstd) are never cut: they are read in ranges but counted whole. An empty shard writes a
result with 0 files.
Exit codes: 0 ok, 2 bad usage or plan, 3 object missing or changed since planned, 4 access denied,
75 transient (retry), 130 interrupted, 143 stopped.`,
};

/** migrate's own parser: flags, then the index from the flag or the scheduler's variables. */
export function parseMigrateCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): MigrateOptions {
  const values = parseCommandLine(MIGRATE_COMMAND, argv);
  return {
    plan: values.plan,
    index: chooseIndex(values.index, env),
    concurrency: values.concurrency,
    indexMap: values.indexMap,
    splitAboveBytes: values.splitAbove,
    partBytes: values.partSize,
    partsInFlight: values.partsInFlight,
  };
}

export function formatMigrateCommand(values: Partial<MigrateFlagValues>): string[] {
  return formatCommandLine(MIGRATE_COMMAND, values);
}

function chooseIndex(flagValue: number | undefined, env: Readonly<Record<string, string | undefined>>): IndexChoice | undefined {
  if (flagValue !== undefined) return { value: flagValue, from: '--index' };
  for (const variable of INDEX_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { value: parseIndex(value, variable), from: variable };
  }
  return undefined;
}

function parseIndex(text: string, from: string): number {
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${from} must be a shard index (0, 1, 2, ...), got "${text}"`);
  }
  return Number(text);
}
