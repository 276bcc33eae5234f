import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { flag, omitFlags, parseCommandLine, renderHelp, type CommandLine } from '@wordbatch/cli';
import { CommandLineError } from '@wordbatch/errors';
import type { StageFlagValues } from '@wordbatch/pipeline';
import { LOG_ENVIRONMENT, MERGE_FLAGS, MIGRATE_FLAGS, PLAN_FLAGS } from '@wordbatch/stage-commands';

export const RUNTIMES = ['process', 'container'] as const;

// The stages' own flags, less those the local run sets itself (the buckets, the plan, the
// index): a flag added to a stage is a flag of `wordbatch local` at once, with the same parser.
const STAGE_FLAGS_FOR_LOCAL = {
  ...omitFlags(PLAN_FLAGS, ['source', 'destination', 'plan', 'shardBytes']),
  shards: flag.withDefault(PLAN_FLAGS.shards, availableParallelism(), 'the number of cores'),
  ...omitFlags(MIGRATE_FLAGS, ['plan', 'index', 'indexMap']),
  ...omitFlags(MERGE_FLAGS, ['destination', 'plan']),
} as const;

const LOCAL_FLAGS = {
  ...STAGE_FLAGS_FOR_LOCAL,
  parallel: flag.integerWithDefault(1, 256, { help: 'migrate children at once', default: availableParallelism(), defaultText: 'the number of cores' }),
  out: flag.text('DIR', { help: 'copy result.json (and --per-file results under files/) here, and write report.html; default: the run folder under --data-dir' }),
  dataDir: flag.text('DIR', {
    help: 'where the embedded S3 server keeps its data and the stage logs, one run-<pid>/ folder per run (a finished run\'s is removed by the next)',
  }),
  runtime: flag.choice(RUNTIMES, { help: 'process: the bundled stage programs; container: the stage images', default: 'process' }),
  engine: flag.text('CMD', { help: 'container engine for --runtime container (default: $CONTAINER_ENGINE, else docker)' }),
  imageTag: flag.text('TAG', { help: 'image tag for --runtime container (default: latest)' }),
} as const;

export interface LocalOptions {
  readonly folder: string;
  /** Every stage flag given, as the stages' own definitions parsed them. */
  readonly stageFlags: StageFlagValues;
  readonly shards: number;
  readonly parallel: number;
  readonly dataDir: string;
  /** Where result.json and per-file results are copied; undefined: the run folder's results/. */
  readonly out?: string;
  readonly runtime: (typeof RUNTIMES)[number];
  /** With --runtime container: the engine command and the image tag. */
  readonly engine: string;
  readonly imageTag: string;
}

export const LOCAL_COMMAND: CommandLine<typeof LOCAL_FLAGS> = {
  program: 'wordbatch local',
  summary: 'run the whole pipeline on this machine, against an embedded S3 server',
  usage: ['wordbatch local [FOLDER] [options]        (npm start -- [FOLDER] [options]; FOLDER defaults to documents/)'],
  description: `Uploads FOLDER to an embedded S3 server, runs plan, the migrate children (as many at once as
--parallel) and merge exactly as on AWS Batch, prints merge's output on stdout and copies
result.json out of the server. The flags of plan, migrate and merge are theirs (see their --help).`,
  positional: { name: 'FOLDER', help: 'the folder to count (relative to where you ran the command, also under npm start)' },
  flags: LOCAL_FLAGS,
  environment: [
    { name: 'CONTAINER_ENGINE', help: 'the engine for --runtime container (podman or docker)' },
    { name: 'INIT_CWD', help: 'set by npm: FOLDER, --out and --data-dir are relative to it under `npm start`' },
    LOG_ENVIRONMENT,
  ],
  examples: [
    'npx wordbatch local',
    'npx wordbatch local ~/books --shards 8 --top 20',
    'npx wordbatch local ./logs --tokenizer whitespace --format csv > top.csv',
    'npm -s start -- ./logs --format json | jq .totals',
  ],
  epilogue: `An empty FOLDER (or --include/--exclude leaving nothing) runs to the end and prints an empty
ranking with totals of 0, exit 0, and says on stderr that nothing was counted.
Exit codes: as the stages' (2 bad usage, ...), 6 this machine lacks something the run needs (a container
engine, a running Docker daemon), 130 interrupted (Ctrl-C).`,
};

export const LOCAL_HELP = renderHelp(LOCAL_COMMAND);

type Env = Readonly<Record<string, string | undefined>>;

export function parseLocalOptions(argv: readonly string[], env: Env): LocalOptions {
  const positional = argv.length > 0 && !argv[0].startsWith('-') ? argv[0] : undefined;
  const values = parseCommandLine(LOCAL_COMMAND, positional === undefined ? argv : argv.slice(1));
  // Under `npm start` the process runs at the repository root; npm says where the user was.
  const callerDir = env['INIT_CWD'] || '.';
  // Without FOLDER: the sample corpus, documents/ at the repository root (where npm start runs).
  const folder = positional === undefined ? resolve('documents') : resolve(callerDir, positional);
  if (folder === '/') throw new CommandLineError('FOLDER must not be the root directory');
  const { parallel, out, dataDir, runtime, engine, imageTag, shards, ...stageFlags } = values;
  return {
    folder,
    stageFlags,
    shards,
    parallel,
    dataDir: dataDir === undefined ? resolve('.wordbatch') : resolve(callerDir, dataDir),
    out: out === undefined ? undefined : resolve(callerDir, out),
    runtime,
    engine: engine ?? env['CONTAINER_ENGINE'] ?? 'docker',
    imageTag: imageTag ?? 'latest',
  };
}
