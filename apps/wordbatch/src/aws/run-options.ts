import { flag, parseCommandLine, renderHelp, type CommandLine, type FlagValues } from '@wordbatch/cli';
import { CommandLineError } from '@wordbatch/errors';
import { AWS_ENVIRONMENT, LOG_ENVIRONMENT } from '@wordbatch/stage-commands';
import { checkJobId, WATCH_FLAGS } from './submit-options';
import { parseShareIdentifier } from './target';

const JOB_FLAG = flag.texts('JOB_ID', {
  help: "the run's last job (merge; printed by submit): the jobs it depends on are found from it",
  check: checkJobId,
});

const STATUS_FLAGS = { job: JOB_FLAG, ...WATCH_FLAGS } as const;

export type StatusOptions = FlagValues<typeof STATUS_FLAGS>;

export const STATUS_COMMAND: CommandLine<typeof STATUS_FLAGS> = {
  program: 'wordbatch status',
  summary: 'the state of a run on AWS Batch, and its outcome as the exit code',
  usage: ['wordbatch status --job JOB_ID [--wait] [--interval SECONDS]'],
  description: `Shows each stage's state and the array children's counts by state (a progress bar on a terminal,
JSON log lines otherwise). After a failure it names the failed children and their log streams.`,
  flags: STATUS_FLAGS,
  environment: [...AWS_ENVIRONMENT, LOG_ENVIRONMENT],
  examples: [
    'wordbatch status --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e',
    'wordbatch status --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e --wait --interval 30',
  ],
  epilogue: `Exit codes: 0 the run succeeded, 5 it failed, 75 it is still running (without --wait; or Batch
throttled us), 2 unknown job, 4 access denied, 130 interrupted, 143 stopped.`,
};

const RETRY_FLAGS = {
  job: JOB_FLAG,
  dryRun: flag.switch({ help: 'print what would be re-run and the SubmitJob requests; write and submit nothing' }),
  ...WATCH_FLAGS,
  queue: flag.text('Q', { help: 'submit to another queue' }),
  shareIdentifier: flag.text('ID', { help: 'another fair-share identifier', check: (text) => parseShareIdentifier(text) }),
} as const;

export type RetryFailedOptions = FlagValues<typeof RETRY_FLAGS>;

export const RETRY_FAILED_COMMAND: CommandLine<typeof RETRY_FLAGS> = {
  program: 'wordbatch retry-failed',
  summary: 're-run only what failed in a finished run, then merge',
  usage: ['wordbatch retry-failed --job JOB_ID [--dry-run] [--wait] [--queue Q] [--share-identifier ID]'],
  description: `Finds the failed children of the run's migrate array job, writes their shard indices to
<destination>/<plan id>/retries/retry-N.json and submits migrate over that map (child i counts
shard map[i]; a plain job for a single shard), then merge depending on it. If only merge failed,
it re-runs merge alone. The jobs keep every flag of the failed ones (read back with each stage's
own definition) and use the same job definitions (latest revision), queue and share identifier.`,
  flags: RETRY_FLAGS,
  environment: [...AWS_ENVIRONMENT, LOG_ENVIRONMENT],
  examples: [
    'wordbatch retry-failed --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e --dry-run',
    'wordbatch retry-failed --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e --wait',
  ],
  epilogue: `Exit codes: 0 submitted (or nothing to retry; with --wait: succeeded), 2 the run is still going or its
plan failed, 4 access denied, 5 (--wait) the retry failed, 75 throttled (retry), 130 interrupted, 143 stopped.`,
};

export const STATUS_HELP = renderHelp(STATUS_COMMAND);
export const RETRY_FAILED_HELP = renderHelp(RETRY_FAILED_COMMAND);

function requireJobs<T extends { job: string[] }>(values: T): T {
  if (values.job.length === 0) throw new CommandLineError("--job is required: the id of the run's last job, printed by submit");
  return values;
}

export function parseStatusOptions(argv: readonly string[]): StatusOptions {
  return requireJobs(parseCommandLine(STATUS_COMMAND, argv));
}

export function parseRetryFailedOptions(argv: readonly string[]): RetryFailedOptions {
  return requireJobs(parseCommandLine(RETRY_FAILED_COMMAND, argv));
}
