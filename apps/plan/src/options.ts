import { parseChoiceFlag, parseFlags, parseIntegerFlag, parseS3Flag, parseSizeFlag } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import type { PlanInput } from '@wordbatch/plan-inputs';
import {
  canonicalEncoding,
  DEFAULT_MAX_EXPANDED_BYTES,
  DEFAULT_MAX_EXPANSION_RATIO,
  MAX_SHARDS,
  type TextSettings,
  type TokenizerName,
} from '@wordbatch/plan-schema';
import type { S3Path } from '@wordbatch/s3-path';

export interface PlanOptions {
  /** What names the objects to count: a prefix, an inventory report or a key list. */
  readonly input: PlanInput;
  readonly destination: S3Path;
  readonly plan: S3Path;
  /** Exactly this many shards, or undefined to size them by `shardBytes`. */
  readonly shards?: number;
  readonly shardBytes: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly tokenizer: TokenizerName;
  readonly perFile: boolean;
  /** Objects an inventory or key list names that do not exist are listed as skipped instead of failing the plan. */
  readonly allowMissing: boolean;
  /** Encoding, strictness and expansion limits, recorded in the plan for migrate. */
  readonly text: TextSettings;
}

export const DEFAULT_SHARD_BYTES = 4 * 1024 ** 3;

export const PLAN_HELP = `wordbatch plan: list a source prefix (or read an inventory report or key list) and write a sharded plan

Usage:
  plan --source s3://BUCKET/PREFIX --destination s3://BUCKET/OUT/ --plan s3://BUCKET/plans/NAME.json [options]
  plan --manifest s3://INV/…/manifest.json --destination … --plan … [options]
  plan --keys s3://BUCKET/list.csv|.jsonl[.gz] --destination … --plan … [options]
  plan --keys s3://BUCKET/list.txt[.gz] --source s3://BUCKET/PREFIX --destination … --plan … [options]

Input (one of):
  --source URI          folder to count (every object below it, recursively)
  --manifest URI        an S3 Inventory report's manifest.json (CSV format; its gzip'd data files are read)
  --keys URI            a list of objects: .csv (bucket,key[,versionId], keys URL-encoded, as S3 Batch
                        Operations manifests), .jsonl ({"bucket","key","versionId"?} a line) or .txt
                        (one key a line, relative to --source); any of them may be .gz
  --allow-missing       objects the manifest or list names that do not exist are listed as skipped
                        (default: the plan fails with exit 3 naming the first few)

Options:
  --destination URI     folder where migrate and merge write results (outside the source)
  --plan URI            where to write the plan (.json); shard lists go next to it in NAME/
  --shards N            exactly N shards (1-${MAX_SHARDS}), so the array size is known in advance
  --shard-bytes SIZE    or: as many shards as needed for about SIZE each (default 4GiB)
  --include GLOB        only objects whose relative name matches (repeatable; * crosses /): the key below
                        --source, or the whole key for --manifest and .csv/.jsonl lists
  --exclude GLOB        skip objects whose relative name matches (repeatable; wins over --include)
  --tokenizer NAME      unicode (default: letters, marks, digits) or whitespace (split on ASCII spaces)
  --per-file            also write each file's own counts (word<TAB>count) under the destination
  --encoding LABEL      how objects without a byte order mark are read: a WHATWG label such as
                        utf-8 (default), windows-1252, latin1, iso-8859-2, shift_jis, gbk, utf-16le
  --strict-encoding     skip (and list) an object with byte sequences invalid in that encoding,
                        instead of counting them as U+FFFD
  --max-expansion N     skip a compressed object (gzip, zstd, brotli) that expands to more than N
                        times its stored size (default ${DEFAULT_MAX_EXPANSION_RATIO})
  --max-expanded-bytes SIZE
                        or to more than SIZE in all (default ${DEFAULT_MAX_EXPANDED_BYTES / 1024 ** 3}GiB)
  -h, --help            show this help

Examples:
  plan --source s3://corpus/books --destination s3://results/out/ --plan s3://results/plans/books.json
  plan --source s3://corpus/logs/ --destination s3://results/out/ --plan s3://results/plans/logs.json \\
       --shards 200 --include '*.log' --exclude 'archive/*' --tokenizer whitespace
  plan --manifest s3://inventory/corpus/daily/2026-01-01T01-00Z/manifest.json \\
       --destination s3://results/out/ --plan s3://results/plans/inventory.json --include 'books/*'
  plan --keys s3://results/lists/todo.txt.gz --source s3://corpus/logs/ --allow-missing \\
       --destination s3://results/out/ --plan s3://results/plans/todo.json
  plan --source s3://corpus/old-mail/ --destination s3://results/out/ --plan s3://results/plans/mail.json \\
       --encoding windows-1252

Compressed objects (gzip, also multi-member; zstd; brotli) are counted as their text; they are
recognised by their first bytes, not their names.

Output: a summary on stdout (files, bytes, shards, plan location, array size to submit).
Exit codes: 0 ok, 2 bad usage or unreadable manifest/list, 3 missing bucket, manifest, list or listed
object, 4 access denied, 75 transient (retry), 143 stopped.
`;

const FLAGS = {
  source: { type: 'string' },
  manifest: { type: 'string' },
  keys: { type: 'string' },
  'allow-missing': { type: 'boolean' },
  destination: { type: 'string' },
  plan: { type: 'string' },
  shards: { type: 'string' },
  'shard-bytes': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  tokenizer: { type: 'string' },
  'per-file': { type: 'boolean' },
  encoding: { type: 'string' },
  'strict-encoding': { type: 'boolean' },
  'max-expansion': { type: 'string' },
  'max-expanded-bytes': { type: 'string' },
} as const;

/** A ratio this large could not stop anything: the byte limit is the one to raise. */
const MAX_EXPANSION_RATIO = 1_000_000;

export function parsePlanOptions(argv: readonly string[]): PlanOptions {
  const flags = parseFlags(argv, FLAGS);
  if (flags.shards !== undefined && flags['shard-bytes'] !== undefined) {
    throw new UsageError('--shards and --shard-bytes cannot be used together');
  }
  return {
    input: parseInput(flags),
    destination: parseS3Flag(flags.destination, 'destination'),
    plan: parseS3Flag(flags.plan, 'plan'),
    shards: flags.shards === undefined ? undefined : parseIntegerFlag(flags.shards, 'shards', 1, MAX_SHARDS),
    shardBytes: flags['shard-bytes'] === undefined ? DEFAULT_SHARD_BYTES : parseSizeFlag(flags['shard-bytes'], 'shard-bytes'),
    include: flags.include ?? [],
    exclude: flags.exclude ?? [],
    tokenizer: parseChoiceFlag(flags.tokenizer ?? 'unicode', 'tokenizer', ['unicode', 'whitespace'] as const),
    perFile: flags['per-file'] ?? false,
    allowMissing: flags['allow-missing'] ?? false,
    text: {
      encoding: parseEncodingFlag(flags.encoding ?? 'utf-8'),
      strictEncoding: flags['strict-encoding'] ?? false,
      maxExpansionRatio:
        flags['max-expansion'] === undefined
          ? DEFAULT_MAX_EXPANSION_RATIO
          : parseIntegerFlag(flags['max-expansion'], 'max-expansion', 1, MAX_EXPANSION_RATIO),
      maxExpandedBytes:
        flags['max-expanded-bytes'] === undefined ? DEFAULT_MAX_EXPANDED_BYTES : parseSizeFlag(flags['max-expanded-bytes'], 'max-expanded-bytes'),
    },
  };
}

/** Exactly one input; the one pair allowed is --keys with --source (a .txt list's keys are relative to it). */
function parseInput(flags: { source?: string; manifest?: string; keys?: string; 'allow-missing'?: boolean }): PlanInput {
  if (flags.manifest !== undefined) {
    if (flags.source !== undefined || flags.keys !== undefined) {
      throw new UsageError(`--manifest cannot be combined with ${flags.source !== undefined ? '--source' : '--keys'}: give one input`);
    }
    return { kind: 'manifest', manifest: parseS3Flag(flags.manifest, 'manifest') };
  }
  if (flags.keys !== undefined) {
    const source = flags.source === undefined ? undefined : parseS3Flag(flags.source, 'source');
    return { kind: 'keys', list: parseS3Flag(flags.keys, 'keys'), source };
  }
  if (flags['allow-missing']) throw new UsageError('--allow-missing applies to --manifest and --keys only: a listed prefix has nothing missing');
  if (flags.source === undefined) throw new UsageError('--source is required (or --manifest, or --keys)');
  return { kind: 'prefix', source: parseS3Flag(flags.source, 'source') };
}

/** A WHATWG label, recorded by its canonical name (`latin1` is `windows-1252`, as browsers read it). */
function parseEncodingFlag(label: string): string {
  const name = canonicalEncoding(label);
  if (name === undefined) {
    throw new UsageError(`--encoding: "${label}" is not an encoding label this runtime knows (e.g. utf-8, windows-1252, iso-8859-2, shift_jis, gbk, utf-16le)`);
  }
  return name;
}
