import { parseFlags } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import { DEFAULT_INTERVAL_SECONDS, parseIntervalFlag, parseJobId } from './submit-options';
import { parseShareIdentifier } from './target';

export interface StatusOptions {
  /** The run's last job (merge), or any jobs: the jobs they depend on are found from them. */
  readonly jobIds: readonly string[];
  readonly wait: boolean;
  readonly intervalSeconds: number;
}

export interface RetryFailedOptions extends StatusOptions {
  readonly queue?: string;
  readonly shareIdentifier?: string;
  readonly dryRun: boolean;
}

export const STATUS_HELP = `wordbatch status: the state of a run on AWS Batch, and its outcome as the exit code

Usage:
  wordbatch status --job JOB_ID [--wait] [--interval SECONDS]

Options:
  --job JOB_ID         the run's last job (merge; printed by submit); the jobs it depends on are
                       found from it. Repeatable, to watch several jobs.
  --wait               look again every --interval seconds until every job has finished
  --interval SECONDS   between two looks (default ${DEFAULT_INTERVAL_SECONDS})
  -h, --help           show this help

Shows each stage's state and the array children's counts by state (a progress bar on a terminal,
JSON log lines otherwise). After a failure it names the failed children and their log streams.

Examples:
  wordbatch status --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e
  wordbatch status --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e --wait --interval 30

Exit codes: 0 the run succeeded, 5 it failed, 75 it is still running (without --wait; or Batch
throttled us), 2 unknown job, 4 access denied, 143 stopped.
`;

export const RETRY_FAILED_HELP = `wordbatch retry-failed: re-run only what failed in a finished run, then merge

Usage:
  wordbatch retry-failed --job JOB_ID [--dry-run] [--wait] [--queue Q] [--share-identifier ID]

Finds the failed children of the run's migrate array job, writes their shard indices to
<destination>/<plan id>/retries/retry-N.json and submits migrate over that map (child i counts
shard map[i]; a plain job for a single shard), then merge depending on it. If only merge failed,
it re-runs merge alone. The jobs use the same job definitions (latest revision), queue and share
identifier as the failed ones.

Options:
  --job JOB_ID         the failed run's last job (merge), as given to status
  --dry-run            print what would be re-run and the SubmitJob requests; write and submit nothing
  --wait               then watch the new jobs until they finish
  --interval SECONDS   between two looks with --wait (default ${DEFAULT_INTERVAL_SECONDS})
  --queue Q            submit to another queue
  --share-identifier ID  another fair-share identifier
  -h, --help           show this help

Examples:
  wordbatch retry-failed --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e --dry-run
  wordbatch retry-failed --job 7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e --wait

Exit codes: 0 submitted (or nothing to retry; with --wait: succeeded), 2 the run is still going or its
plan failed, 4 access denied, 5 (--wait) the retry failed, 75 throttled (retry), 143 stopped.
`;

const STATUS_FLAGS = {
  job: { type: 'string', multiple: true },
  wait: { type: 'boolean' },
  interval: { type: 'string' },
} as const;

const RETRY_FLAGS = {
  ...STATUS_FLAGS,
  queue: { type: 'string' },
  'share-identifier': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

function jobIdsOf(values: readonly string[] | undefined): string[] {
  if (values === undefined || values.length === 0) throw new UsageError('--job is required: the id of the run\'s last job, printed by submit');
  return values.map((value) => parseJobId(value, 'job'));
}

export function parseStatusOptions(argv: readonly string[]): StatusOptions {
  const flags = parseFlags(argv, STATUS_FLAGS);
  return { jobIds: jobIdsOf(flags.job), wait: flags.wait ?? false, intervalSeconds: parseIntervalFlag(flags.interval) };
}

export function parseRetryFailedOptions(argv: readonly string[]): RetryFailedOptions {
  const flags = parseFlags(argv, RETRY_FLAGS);
  return {
    jobIds: jobIdsOf(flags.job),
    wait: flags.wait ?? false,
    intervalSeconds: parseIntervalFlag(flags.interval),
    queue: flags.queue,
    shareIdentifier: parseShareIdentifier(flags['share-identifier']),
    dryRun: flags['dry-run'] ?? false,
  };
}
