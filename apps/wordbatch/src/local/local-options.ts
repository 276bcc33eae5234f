import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseChoiceFlag, parseFlags, parseIntegerFlag } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import { MAX_SHARDS } from '@wordbatch/plan-schema';
import { MERGE_FLAGS, mergePassThroughArgs } from '../merge-flags';

export interface LocalOptions {
  readonly folder: string;
  readonly shards: number;
  readonly parallel: number;
  readonly tokenizer: 'unicode' | 'whitespace';
  readonly perFile: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly dataDir: string;
  /** Flags passed through to merge unchanged. */
  readonly mergeArgs: readonly string[];
  readonly runtime: 'process' | 'container';
  /** With --runtime container: the engine command and the image tag. */
  readonly engine: string;
  readonly imageTag: string;
}

export const LOCAL_HELP = `wordbatch local: run the whole pipeline on this machine, against an embedded S3 server

Usage:
  npm start -- [FOLDER] [options]        (FOLDER defaults to documents/)

Options:
  --shards N           shards, i.e. migrate children (default: number of cores)
  --parallel N         migrate children at once (default: number of cores)
  --tokenizer NAME     unicode (default) or whitespace
  --per-file           also write each file's counts
  --include GLOB       only matching files (repeatable)
  --exclude GLOB       skip matching files (repeatable)
  --top N, --min-length N, --min-count N, --stopwords LIST, --output table|json|csv, --allow-partial
                       passed to merge (see merge --help)
  --data-dir DIR       where the embedded S3 server keeps its data and the stage logs
                       (default .wordbatch/; emptied at the start of every run)
  --runtime NAME       process (default: the bundled stage programs) or container (the stage images)
  --engine CMD         container engine for --runtime container (default: $CONTAINER_ENGINE or docker)
  --image-tag TAG      image tag for --runtime container (default: latest)
  -h, --help           show this help

Examples:
  npm start
  npm start -- ~/books --shards 8 --top 20
  npm start -- ./logs --tokenizer whitespace --output csv > top.csv
`;

const FLAGS = {
  shards: { type: 'string' },
  parallel: { type: 'string' },
  tokenizer: { type: 'string' },
  'per-file': { type: 'boolean' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  ...MERGE_FLAGS,
  'data-dir': { type: 'string' },
  runtime: { type: 'string' },
  engine: { type: 'string' },
  'image-tag': { type: 'string' },
} as const;

export function parseLocalOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LocalOptions {
  const positional = argv.length > 0 && !argv[0].startsWith('-') ? argv[0] : undefined;
  const flags = parseFlags(positional === undefined ? argv : argv.slice(1), FLAGS);
  const cores = availableParallelism();
  const mergeArgs = mergePassThroughArgs(flags);
  const folder = resolve(positional ?? 'documents');
  if (folder === '/') throw new UsageError('FOLDER must not be the root directory');
  return {
    folder,
    shards: flags.shards === undefined ? cores : parseIntegerFlag(flags.shards, 'shards', 1, MAX_SHARDS),
    parallel: flags.parallel === undefined ? cores : parseIntegerFlag(flags.parallel, 'parallel', 1, 256),
    tokenizer: parseChoiceFlag(flags.tokenizer ?? 'unicode', 'tokenizer', ['unicode', 'whitespace'] as const),
    perFile: flags['per-file'] ?? false,
    include: flags.include ?? [],
    exclude: flags.exclude ?? [],
    dataDir: resolve(flags['data-dir'] ?? '.wordbatch'),
    mergeArgs,
    runtime: parseChoiceFlag(flags.runtime ?? 'process', 'runtime', ['process', 'container'] as const),
    engine: flags.engine ?? env['CONTAINER_ENGINE'] ?? 'docker',
    imageTag: flags['image-tag'] ?? 'latest',
  };
}
