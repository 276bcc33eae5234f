import { flag, formatCommandLine, parseCommandLine, type CommandLine, type FlagValues } from '@wordbatch/command-line';
import { CommandLineError, UsageError } from '@wordbatch/errors';
import {
  canonicalEncoding,
  DEFAULT_MAX_EXPANDED_BYTES,
  DEFAULT_MAX_EXPANSION_RATIO,
  MAX_SHARDS,
  PlanFormatError,
  shardListsFolderFor,
  type TextSettings,
} from '@wordbatch/plan-schema';
import { asFolder, formatS3Path, isWithin, type S3Path } from '@wordbatch/s3-path';
import { TOKENIZER_NAMES } from '@wordbatch/word-count';
import { STAGE_ENVIRONMENT } from './environment';

export const DEFAULT_SHARD_BYTES = 4 * 1024 ** 3;

/** A ratio this large could not stop anything: the byte limit is the one to raise. */
const MAX_EXPANSION_RATIO = 1_000_000;

/** A WHATWG label, recorded by its canonical name (`latin1` is `windows-1252`, as browsers read it). */
function readEncodingLabel(label: string, flagText: string): string {
  const name = canonicalEncoding(label);
  if (name === undefined) {
    throw new CommandLineError(`${flagText}: "${label}" is not an encoding label this runtime knows (e.g. utf-8, windows-1252, iso-8859-2, shift_jis, gbk, utf-16le)`);
  }
  return name;
}

/** plan's flags: the one place each is named, typed, constrained and explained. */
export const PLAN_FLAGS = {
  source: flag.s3Uri({ help: 'folder to count: every object below it, recursively (with --keys FILE.txt: what its keys are relative to)' }),
  manifest: flag.s3Uri({ help: "or: an S3 Inventory report's manifest.json (CSV format; its gzip'd data files are read)" }),
  keys: flag.s3Uri({
    help: 'or: a list of objects: .csv (bucket,key[,versionId], keys URL-encoded, as S3 Batch Operations manifests), .jsonl ({"bucket","key","versionId"?} a line) or .txt (one key a line, relative to --source); any may be .gz',
  }),
  allowMissing: flag.switch({ help: 'objects the manifest or list names that do not exist are listed as skipped (default: exit 3 naming the first few)' }),
  destination: flag.s3Uri({ help: 'folder where migrate and merge write results (outside the source)', required: true }),
  plan: flag.s3Uri({ help: 'where to write the plan (.json); shard lists go next to it in NAME/', required: true }),
  shards: flag.integer(1, MAX_SHARDS, { help: 'exactly N shards, so the array size is known in advance' }),
  shardBytes: flag.size({ help: 'or: as many shards as needed for about SIZE each (default 4GiB)' }),
  include: flag.texts('GLOB', {
    help: 'only objects whose relative name matches (* crosses /): the key below --source, or the whole key for --manifest and .csv/.jsonl lists',
  }),
  exclude: flag.texts('GLOB', { help: 'skip objects whose relative name matches (wins over --include)' }),
  tokenizer: flag.choice(TOKENIZER_NAMES, {
    help: 'unicode: runs of letters, marks, digits; whitespace: split on ASCII spaces',
    default: 'unicode',
  }),
  perFile: flag.switch({ help: "also write each file's own counts (word<TAB>count) under the destination" }),
  encoding: flag.canonicalText('LABEL', readEncodingLabel, {
    help: 'how objects without a byte order mark are read: a WHATWG label such as utf-8, windows-1252, latin1, iso-8859-2, shift_jis, gbk, utf-16le',
    default: 'utf-8',
    sample: 'windows-1252',
  }),
  strictEncoding: flag.switch({ help: 'skip (and list) an object with byte sequences invalid in that encoding, instead of counting them as U+FFFD' }),
  maxExpansion: flag.integerWithDefault(1, MAX_EXPANSION_RATIO, {
    help: 'skip a compressed object (gzip, zstd, brotli) that expands to more than N times its stored size',
    default: DEFAULT_MAX_EXPANSION_RATIO,
  }),
  maxExpandedBytes: flag.sizeWithDefault(1, Number.MAX_SAFE_INTEGER, {
    help: 'or to more than SIZE in all',
    default: DEFAULT_MAX_EXPANDED_BYTES,
  }),
  listConcurrency: flag.integerWithDefault(1, 256, {
    help: 'listing requests in flight at once (1 lists sequentially)',
    default: 16,
    placeholder: 'K',
  }),
  listDepth: flag.integerWithDefault(0, 20, {
    help: 'folder levels below the source that listing may split at; a flat or larger part is split at probed keys (0 lists sequentially)',
    default: 3,
  }),
} as const;

export type PlanFlagValues = FlagValues<typeof PLAN_FLAGS>;

/**
 * What names the objects to count: a prefix, an inventory report or a key list (the
 * plan-inputs lib reads them; this is the choice the command line makes).
 */
export type PlanInputChoice =
  | { readonly kind: 'prefix'; readonly source: S3Path }
  | { readonly kind: 'manifest'; readonly manifest: S3Path }
  | { readonly kind: 'keys'; readonly list: S3Path; readonly source?: S3Path };

type TextFlags = 'encoding' | 'strictEncoding' | 'maxExpansion' | 'maxExpandedBytes';

export interface PlanOptions extends Readonly<Omit<PlanFlagValues, 'source' | 'manifest' | 'keys' | 'shardBytes' | TextFlags>> {
  readonly input: PlanInputChoice;
  /** Encoding, strictness and expansion limits, recorded in the plan for migrate. */
  readonly text: TextSettings;
  /** Ignored with --shards (the shard count is fixed instead); 4 GiB when not given. */
  readonly shardBytes: number;
}

export const PLAN_COMMAND: CommandLine<typeof PLAN_FLAGS> = {
  program: 'wordbatch plan',
  summary: 'list a source prefix (or read an inventory report or key list) and write a sharded plan',
  usage: [
    'wordbatch plan --source s3://BUCKET/PREFIX --destination s3://BUCKET/OUT/ --plan s3://BUCKET/plans/NAME.json [options]',
    'wordbatch plan --manifest s3://INV/…/manifest.json --destination … --plan … [options]',
    'wordbatch plan --keys s3://BUCKET/list.csv|.jsonl[.gz] --destination … --plan … [options]',
    'wordbatch plan --keys s3://BUCKET/list.txt[.gz] --source s3://BUCKET/PREFIX --destination … --plan … [options]',
  ],
  flags: PLAN_FLAGS,
  environment: STAGE_ENVIRONMENT,
  examples: [
    'wordbatch plan --source s3://corpus/books --destination s3://results/out/ --plan s3://results/plans/books.json',
    "wordbatch plan --source s3://corpus/logs/ --destination s3://results/out/ --plan s3://results/plans/logs.json --shards 200 --include '*.log' --exclude 'archive/*' --tokenizer whitespace",
    "wordbatch plan --manifest s3://inventory/corpus/daily/2026-01-01T01-00Z/manifest.json --destination s3://results/out/ --plan s3://results/plans/inventory.json --include 'books/*'",
    'wordbatch plan --keys s3://results/lists/todo.txt.gz --source s3://corpus/logs/ --allow-missing --destination s3://results/out/ --plan s3://results/plans/todo.json',
    'wordbatch plan --source s3://corpus/old-mail/ --destination s3://results/out/ --plan s3://results/plans/mail.json --encoding windows-1252',
  ],
  epilogue: `Compressed objects (gzip, also multi-member; zstd; brotli) are counted as their text; they are
recognised by their first bytes, not their names.
Output: a summary on stdout (files, bytes, shards, plan location, array size to submit).
An empty source, or --include/--exclude leaving nothing, still writes a plan (0 files, every shard
empty) and exits 0; merge then prints an empty ranking with totals of 0.
Exit codes: 0 ok, 2 bad usage or unreadable manifest/list, 3 missing bucket, manifest, list or listed
object, 4 access denied, 75 transient (retry), 130 interrupted, 143 stopped.`,
};

/** Exactly one input; the one pair allowed is --keys with --source (a .txt list's keys are relative to it). */
function inputOf(values: PlanFlagValues): PlanInputChoice {
  if (values.manifest !== undefined) {
    if (values.source !== undefined || values.keys !== undefined) {
      throw new CommandLineError(`--manifest cannot be combined with ${values.source !== undefined ? '--source' : '--keys'}: give one input`);
    }
    return { kind: 'manifest', manifest: values.manifest };
  }
  if (values.keys !== undefined) return { kind: 'keys', list: values.keys, source: values.source };
  if (values.allowMissing) throw new CommandLineError('--allow-missing applies to --manifest and --keys only: a listed prefix has nothing missing');
  if (values.source === undefined) throw new CommandLineError('--source is required (or --manifest, or --keys)');
  return { kind: 'prefix', source: values.source };
}

/**
 * plan's checks across flags, run wherever a plan command is built (plan itself, local,
 * submit) before anything is listed, uploaded or submitted. A prefix's overlap with the
 * destination is known now; a manifest's or list's only once plan has read it.
 */
export function checkPlanValues(values: PlanFlagValues): PlanOptions {
  if (values.shards !== undefined && values.shardBytes !== undefined) {
    throw new CommandLineError('--shards and --shard-bytes cannot be used together');
  }
  const input = inputOf(values);
  const shardLists = shardListsFolder(values.plan);
  if (input.kind === 'prefix') assertWritesOutsideSource(asFolder(input.source), values, shardLists);
  return {
    input,
    destination: values.destination,
    plan: values.plan,
    shards: values.shards,
    shardBytes: values.shardBytes ?? DEFAULT_SHARD_BYTES,
    include: values.include,
    exclude: values.exclude,
    tokenizer: values.tokenizer,
    perFile: values.perFile,
    allowMissing: values.allowMissing,
    listConcurrency: values.listConcurrency,
    listDepth: values.listDepth,
    text: {
      encoding: values.encoding,
      strictEncoding: values.strictEncoding,
      maxExpansionRatio: values.maxExpansion,
      maxExpandedBytes: values.maxExpandedBytes,
    },
  };
}

/**
 * Results, plan and shard lists must lie outside the data counted. plan runs it again once a
 * manifest or key list has said where its objects are.
 */
export function assertWritesOutsideSource(source: S3Path, locations: { readonly destination: S3Path; readonly plan: S3Path }, shardLists: S3Path): void {
  const destination = asFolder(locations.destination);
  if (isWithin(destination, source) || isWithin(source, destination)) {
    throw new UsageError(
      `--destination ${formatS3Path(destination)} overlaps the source ${formatS3Path(source)}; results must be written outside the data they count`,
    );
  }
  if (isWithin(locations.plan, source) || isWithin(shardLists, source)) {
    throw new UsageError(`--plan ${formatS3Path(locations.plan)} lies inside the source ${formatS3Path(source)}; write plans elsewhere`);
  }
}

function shardListsFolder(plan: S3Path): S3Path {
  try {
    return shardListsFolderFor(plan);
  } catch (error) {
    if (error instanceof PlanFormatError) throw new CommandLineError(error.message);
    throw error;
  }
}

/** plan's own parser: flags, then the cross-checks. */
export function parsePlanCommand(argv: readonly string[]): PlanOptions {
  return checkPlanValues(parseCommandLine(PLAN_COMMAND, argv));
}

export function formatPlanCommand(values: Partial<PlanFlagValues>): string[] {
  return formatCommandLine(PLAN_COMMAND, values);
}
