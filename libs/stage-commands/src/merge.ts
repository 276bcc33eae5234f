import { flag, formatCommandLine, parseCommandLine, type CommandLine, type FlagValues } from '@wordbatch/command-line';
import { parsePriceFlags, PRICE_FLAG_HELP } from '@wordbatch/cost';
import { STAGE_ENVIRONMENT } from './environment';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The seed's filter: words of three or more characters, seen at least three times, without and/the. */
export const DEFAULT_STOPWORDS: ReadonlySet<string> = new Set(['and', 'the']);

const LIMIT = 1_000_000_000;

/** merge's flags: the one place each is named, typed, constrained and explained. */
export const MERGE_FLAGS = {
  destination: flag.s3Uri({
    help: 'the results folder: the --destination given to plan',
    required: true,
    aliases: ['source'],
  }),
  plan: flag.s3Uri({ help: 'the plan to merge; needed only when several plans share the folder' }),
  top: flag.integerWithDefault(1, LIMIT, { help: 'how many words to show (result.json keeps as many)', default: 100 }),
  minLength: flag.integerWithDefault(0, LIMIT, { help: 'shortest word kept, in Unicode code points', default: 3 }),
  minCount: flag.integerWithDefault(0, LIMIT, { help: 'fewest occurrences kept', default: 3 }),
  stopwords: flag.wordSet({ help: 'comma-separated words to leave out ("" keeps all)', default: DEFAULT_STOPWORDS, defaultText: 'and,the' }),
  format: flag.choice(OUTPUT_FORMATS, { help: 'what stdout carries: a table, JSON (the whole result) or CSV', default: 'table', aliases: ['output'] }),
  allowPartial: flag.switch({ help: 'merge what is there when shard results are missing, and say so' }),
  // merge prices the run's actuals (actuals.json); submit prices its estimate with the same values and passes them on.
  price: flag.texts('NAME=DOLLARS', { help: PRICE_FLAG_HELP, check: (text) => parsePriceFlags([text]), sample: 'vcpu-hour=0.05' }),
} as const;

export type MergeFlagValues = FlagValues<typeof MERGE_FLAGS>;

export type MergeOptions = Readonly<MergeFlagValues>;

export const MERGE_COMMAND: CommandLine<typeof MERGE_FLAGS> = {
  program: 'wordbatch merge',
  summary: 'combine every shard result of a plan and rank the words',
  usage: ['wordbatch merge --destination s3://BUCKET/OUT/ [--plan s3://BUCKET/plans/NAME.json] [options]'],
  flags: MERGE_FLAGS,
  environment: STAGE_ENVIRONMENT,
  examples: [
    'wordbatch merge --destination s3://results/out/',
    'wordbatch merge --destination s3://results/out/ --plan s3://results/plans/books.json --top 20 --format json',
    'wordbatch merge --destination s3://results/out/ --stopwords "" --min-length 1 --min-count 1 --format csv',
  ],
  epilogue: `Also writes the full result to <destination>/<plan id>/result.json, and what the run took
(objects, requests, vCPU- and GB-hours, dollars at --price) to <destination>/<plan id>/actuals.json.
A plan with no files, or filters that keep no word, print an empty ranking (a table with no rows,
[] in JSON, the header line in CSV) and totals of 0; the exit code is 0.
Exit codes: 0 ok, 2 bad usage (or several plans without --plan), 3 nothing to merge, 4 access denied,
5 shard results missing, 75 transient (retry), 130 interrupted, 143 stopped.`,
};

/** merge's own parser. */
export function parseMergeCommand(argv: readonly string[]): MergeOptions {
  return parseCommandLine(MERGE_COMMAND, argv);
}

export function formatMergeCommand(values: Partial<MergeFlagValues>): string[] {
  return formatCommandLine(MERGE_COMMAND, values);
}
