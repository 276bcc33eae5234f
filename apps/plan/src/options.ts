import { parseChoiceFlag, parseFlags, parseIntegerFlag, parseS3Flag, parseSizeFlag } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import { MAX_SHARDS, type TokenizerName } from '@wordbatch/plan-schema';
import type { S3Path } from '@wordbatch/s3-path';

export interface PlanOptions {
  readonly source: S3Path;
  readonly destination: S3Path;
  readonly plan: S3Path;
  /** Exactly this many shards, or undefined to size them by `shardBytes`. */
  readonly shards?: number;
  readonly shardBytes: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly tokenizer: TokenizerName;
  readonly perFile: boolean;
}

export const DEFAULT_SHARD_BYTES = 4 * 1024 ** 3;

export const PLAN_HELP = `wordbatch plan: list a source prefix and write a sharded plan

Usage:
  plan --source s3://BUCKET/PREFIX --destination s3://BUCKET/OUT/ --plan s3://BUCKET/plans/NAME.json [options]

Options:
  --source URI          folder to count (every object below it, recursively)
  --destination URI     folder where migrate and merge write results (outside the source)
  --plan URI            where to write the plan (.json); shard lists go next to it in NAME/
  --shards N            exactly N shards (1-${MAX_SHARDS}), so the array size is known in advance
  --shard-bytes SIZE    or: as many shards as needed for about SIZE each (default 4GiB)
  --include GLOB        only objects whose relative name matches (repeatable; * crosses /)
  --exclude GLOB        skip objects whose relative name matches (repeatable; wins over --include)
  --tokenizer NAME      unicode (default: letters, marks, digits) or whitespace (split on ASCII spaces)
  --per-file            also write each file's own counts (word<TAB>count) under the destination
  -h, --help            show this help

Examples:
  plan --source s3://corpus/books --destination s3://results/out/ --plan s3://results/plans/books.json
  plan --source s3://corpus/logs/ --destination s3://results/out/ --plan s3://results/plans/logs.json \\
       --shards 200 --include '*.log' --exclude 'archive/*' --tokenizer whitespace

Output: a summary on stdout (files, bytes, shards, plan location, array size to submit).
Exit codes: 0 ok, 2 bad usage, 3 missing bucket, 4 access denied, 75 transient (retry), 143 stopped.
`;

const FLAGS = {
  source: { type: 'string' },
  destination: { type: 'string' },
  plan: { type: 'string' },
  shards: { type: 'string' },
  'shard-bytes': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  tokenizer: { type: 'string' },
  'per-file': { type: 'boolean' },
} as const;

export function parsePlanOptions(argv: readonly string[]): PlanOptions {
  const flags = parseFlags(argv, FLAGS);
  if (flags.shards !== undefined && flags['shard-bytes'] !== undefined) {
    throw new UsageError('--shards and --shard-bytes cannot be used together');
  }
  return {
    source: parseS3Flag(flags.source, 'source'),
    destination: parseS3Flag(flags.destination, 'destination'),
    plan: parseS3Flag(flags.plan, 'plan'),
    shards: flags.shards === undefined ? undefined : parseIntegerFlag(flags.shards, 'shards', 1, MAX_SHARDS),
    shardBytes: flags['shard-bytes'] === undefined ? DEFAULT_SHARD_BYTES : parseSizeFlag(flags['shard-bytes'], 'shard-bytes'),
    include: flags.include ?? [],
    exclude: flags.exclude ?? [],
    tokenizer: parseChoiceFlag(flags.tokenizer ?? 'unicode', 'tokenizer', ['unicode', 'whitespace'] as const),
    perFile: flags['per-file'] ?? false,
  };
}
