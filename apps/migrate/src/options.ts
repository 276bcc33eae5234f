import { parseFlags, parseIntegerFlag, parseS3Flag } from '@wordbatch/cli';
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
}

export const DEFAULT_CONCURRENCY = 16;
const MAX_CONCURRENCY = 256;

/** The variables that schedulers use to tell an array child its index, in order of preference. */
export const INDEX_VARIABLES = ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX'] as const;

export const MIGRATE_HELP = `wordbatch migrate: count the words of one shard of a plan

Usage:
  migrate --plan s3://BUCKET/plans/NAME.json [--index N] [--concurrency K] [--index-map URI]

Options:
  --plan URI          the plan written by \`wordbatch plan\`
  --index N           the shard to count; default: $AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array child),
                      else $JOB_COMPLETION_INDEX (Kubernetes Indexed Job), else 0 for a one-shard plan
  --concurrency K     objects read at once (default ${DEFAULT_CONCURRENCY}, at most ${MAX_CONCURRENCY})
  --index-map URI     a JSON array of shard indices under the plan's results folder
                      (<destination>/<plan id>/retries/retry-N.json, written by \`wordbatch retry-failed\`):
                      the index above picks an entry and that entry is the shard to count,
                      so an array job of K children re-runs K chosen shards
  -h, --help          show this help

Examples:
  migrate --plan s3://results/plans/books.json --index 3
  AWS_BATCH_JOB_ARRAY_INDEX=3 migrate --plan s3://results/plans/books.json
  AWS_BATCH_JOB_ARRAY_INDEX=1 migrate --plan s3://results/plans/books.json \\
    --index-map s3://results/out/<plan id>/retries/retry-1.json      (counts the shard in entry 1)

Writes <destination>/<plan id>/shards/shard-NNNNN.tsv (a JSON header line, then word<TAB>count lines);
re-running a shard rewrites the same bytes. Its timing (start, duration) goes to
<destination>/<plan id>/timings/shard-NNNNN.json. Binary objects (with a NUL byte) are skipped and listed.
Exit codes: 0 ok, 2 bad usage or plan, 3 object missing or changed since planned, 4 access denied,
75 transient (retry), 143 stopped.
`;

const FLAGS = {
  plan: { type: 'string' },
  index: { type: 'string' },
  concurrency: { type: 'string' },
  'index-map': { type: 'string' },
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
  };
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
