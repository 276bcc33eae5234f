import { parseFlags, parseIntegerFlag, parseS3Flag, parseSizeFlag } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import type { S3Path } from '@wordbatch/s3-path';

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

export const DEFAULT_CONCURRENCY = 16;
const MAX_CONCURRENCY = 256;
const MiB = 1024 * 1024;
export const DEFAULT_SPLIT_ABOVE_BYTES = 32 * MiB;
export const DEFAULT_PART_BYTES = 8 * MiB;
export const DEFAULT_PARTS_IN_FLIGHT = 8;
/** A part is held whole in memory until counted. */
const MAX_PART_BYTES = 1024 * MiB;
const MIN_PART_BYTES = 64 * 1024;
const MAX_PARTS_IN_FLIGHT = 256;

/** The variables that schedulers use to tell an array child its index, in order of preference. */
export const INDEX_VARIABLES = ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX'] as const;

export const MIGRATE_HELP = `wordbatch migrate: count the words of one shard of a plan

Usage:
  migrate --plan s3://BUCKET/plans/NAME.json [--index N] [--concurrency K] [--index-map URI]
          [--split-above SIZE] [--part-size SIZE] [--parts-in-flight K]

Options:
  --plan URI          the plan written by \`wordbatch plan\`
  --index N           the shard to count; default: $AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array child),
                      else $JOB_COMPLETION_INDEX (Kubernetes Indexed Job), else 0 for a one-shard plan
  --concurrency K     objects read at once (default ${DEFAULT_CONCURRENCY}, at most ${MAX_CONCURRENCY})
  --index-map URI     a JSON array of shard indices under the plan's results folder
                      (<destination>/<plan id>/retries/retry-N.json, written by \`wordbatch retry-failed\`):
                      the index above picks an entry and that entry is the shard to count,
                      so an array job of K children re-runs K chosen shards
  --split-above SIZE  objects of at least SIZE are read as parallel ranged GETs and their text is
                      cut at newlines into pieces counted on every core (default 32MiB)
  --part-size SIZE    bytes per ranged GET and per piece (default 8MiB, 64KiB-1GiB)
  --parts-in-flight K ranged GETs fetched ahead and not yet counted, for the whole shard
                      (default ${DEFAULT_PARTS_IN_FLIGHT}, at most ${MAX_PARTS_IN_FLIGHT}): memory is about K x part size
  -h, --help          show this help

Examples:
  migrate --plan s3://results/plans/books.json --index 3
  AWS_BATCH_JOB_ARRAY_INDEX=3 migrate --plan s3://results/plans/books.json
  AWS_BATCH_JOB_ARRAY_INDEX=1 migrate --plan s3://results/plans/books.json \\
    --index-map s3://results/out/<plan id>/retries/retry-1.json      (counts the shard in entry 1)

Writes <destination>/<plan id>/shards/shard-NNNNN.tsv (a JSON header line, then word<TAB>count lines);
re-running a shard rewrites the same bytes. Its timing (start, duration) goes to
<destination>/<plan id>/timings/shard-NNNNN.json. Binary objects (with a NUL byte) are skipped and listed.
Every GET, ranged or whole, is pinned to the planned ETag (If-Match). Compressed objects
(gzip, zstd) are never cut: they are read in ranges but counted whole.
Exit codes: 0 ok, 2 bad usage or plan, 3 object missing or changed since planned, 4 access denied,
75 transient (retry), 143 stopped.
`;

const FLAGS = {
  plan: { type: 'string' },
  index: { type: 'string' },
  concurrency: { type: 'string' },
  'index-map': { type: 'string' },
  'split-above': { type: 'string' },
  'part-size': { type: 'string' },
  'parts-in-flight': { type: 'string' },
} as const;

export function parseMigrateOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): MigrateOptions {
  const flags = parseFlags(argv, FLAGS);
  return {
    plan: parseS3Flag(flags.plan, 'plan'),
    index: chooseIndex(flags.index, env),
    concurrency:
      flags.concurrency === undefined
        ? DEFAULT_CONCURRENCY
        : parseIntegerFlag(flags.concurrency, 'concurrency', 1, MAX_CONCURRENCY),
    indexMap: flags['index-map'] === undefined ? undefined : parseS3Flag(flags['index-map'], 'index-map'),
    splitAboveBytes: flags['split-above'] === undefined ? DEFAULT_SPLIT_ABOVE_BYTES : parseSizeFlag(flags['split-above'], 'split-above'),
    partBytes: flags['part-size'] === undefined ? DEFAULT_PART_BYTES : parsePartSize(flags['part-size']),
    partsInFlight:
      flags['parts-in-flight'] === undefined
        ? DEFAULT_PARTS_IN_FLIGHT
        : parseIntegerFlag(flags['parts-in-flight'], 'parts-in-flight', 1, MAX_PARTS_IN_FLIGHT),
  };
}

function parsePartSize(value: string): number {
  const bytes = parseSizeFlag(value, 'part-size');
  if (bytes < MIN_PART_BYTES || bytes > MAX_PART_BYTES) throw new UsageError(`--part-size must be between 64KiB and 1GiB, got "${value}"`);
  return bytes;
}

function chooseIndex(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): IndexChoice | undefined {
  if (flag !== undefined) return { value: parseIndex(flag, '--index'), from: '--index' };
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
