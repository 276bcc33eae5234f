import { parseChoiceFlag, parseFlags, parseIntegerFlag, parseS3Flag } from '@wordbatch/cli';
import type { S3Path } from '@wordbatch/s3-path';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface MergeOptions {
  /** The destination folder that plan and migrate wrote to. */
  readonly source: S3Path;
  readonly plan?: S3Path;
  readonly top: number;
  readonly minLength: number;
  readonly minCount: number;
  readonly stopwords: ReadonlySet<string>;
  readonly output: OutputFormat;
  readonly allowPartial: boolean;
}

/** The seed's filter: words of three or more characters, seen at least three times, without and/the. */
export const DEFAULT_STOPWORDS = 'and,the';

export const MERGE_HELP = `wordbatch merge: combine every shard result of a plan and rank the words

Usage:
  merge --source s3://BUCKET/OUT/ [--plan s3://BUCKET/plans/NAME.json] [options]

Options:
  --source URI        the destination folder given to plan (where the shard results are)
  --plan URI          the plan to merge; needed only when several plans share the folder
  --top N             how many words to show (default 100)
  --min-length N      shortest word kept, in Unicode code points (default 3)
  --min-count N       fewest occurrences kept (default 3)
  --stopwords LIST    comma-separated words to leave out (default "${DEFAULT_STOPWORDS}"; "" keeps all)
  --output FORMAT     table (default), json or csv, on stdout
  --allow-partial     merge what is there when shard results are missing, and say so
  -h, --help          show this help

Examples:
  merge --source s3://results/out/
  merge --source s3://results/out/ --plan s3://results/plans/books.json --top 20 --output json
  merge --source s3://results/out/ --stopwords "" --min-length 1 --min-count 1 --output csv

Also writes the full result to <source>/<plan id>/result.json.
Exit codes: 0 ok, 2 bad usage (or several plans without --plan), 3 nothing to merge, 4 access denied,
5 shard results missing, 75 transient (retry), 143 stopped.
`;

const FLAGS = {
  source: { type: 'string' },
  plan: { type: 'string' },
  top: { type: 'string' },
  'min-length': { type: 'string' },
  'min-count': { type: 'string' },
  stopwords: { type: 'string' },
  output: { type: 'string' },
  'allow-partial': { type: 'boolean' },
} as const;

const LIMIT = 1_000_000_000;

export function parseMergeOptions(argv: readonly string[]): MergeOptions {
  const flags = parseFlags(argv, FLAGS);
  const stopwords = (flags.stopwords ?? DEFAULT_STOPWORDS)
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '');
  return {
    source: parseS3Flag(flags.source, 'source'),
    plan: flags.plan === undefined ? undefined : parseS3Flag(flags.plan, 'plan'),
    top: flags.top === undefined ? 100 : parseIntegerFlag(flags.top, 'top', 0, LIMIT),
    minLength: flags['min-length'] === undefined ? 3 : parseIntegerFlag(flags['min-length'], 'min-length', 0, LIMIT),
    minCount: flags['min-count'] === undefined ? 3 : parseIntegerFlag(flags['min-count'], 'min-count', 0, LIMIT),
    stopwords: new Set(stopwords),
    output: parseChoiceFlag(flags.output ?? 'table', 'output', OUTPUT_FORMATS),
    allowPartial: flags['allow-partial'] ?? false,
  };
}
