import { RETRYABLE_EXIT_CODES } from '@wordbatch/errors';

export interface EvaluateOnExitRule {
  readonly action: 'RETRY' | 'EXIT';
  readonly onExitCode?: string;
  readonly onReason?: string;
  readonly onStatusReason?: string;
}

export interface RetryStrategy {
  readonly attempts: number;
  readonly evaluateOnExit: readonly EvaluateOnExitRule[];
}

/** AWS Batch reads at most this many evaluateOnExit rules. */
const MAX_RULES = 5;

/** The status reason Batch gives when the EC2 host (On-Demand or Spot) went away. */
export const HOST_LOST_STATUS_REASON = 'Host EC2*';

/**
 * The status reason of an attempt whose container never ran: its reason then names the
 * cause (CannotPullContainerError, ResourceInitializationError, CannotStartContainerError).
 * One rule for all of them, because Batch reads at most five rules and matches patterns by
 * prefix only (https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html).
 */
export const NEVER_STARTED_STATUS_REASON = 'Task failed to start';

/**
 * Retries what a new attempt can fix and nothing else. Batch takes the first rule that
 * matches and retries when none does, so the list ends with rules that match everything:
 * a usage error (2), a changed input (3), denied access (4), missing shard results (5) or a
 * bug (1) fail at once instead of burning attempts. A timeout or a cancel is never retried
 * by Batch whatever the rules say.
 *
 * A task that never started is retried: nothing of ours ran, so nothing was written, and
 * the usual causes pass (ECR throttling when thousands of array children pull at once, an
 * ENI or endpoint not ready yet, a registry blip). When the cause is permanent (a missing
 * image tag, an execution role without ECR access) the extra attempts fail within seconds
 * and cost no compute. Batch has no per-rule attempt count: such a task gets the job's
 * `attempts` like any retried failure (infra/README.md).
 */
export function retryStrategy(
  attempts: number,
  retryableExitCodes: readonly number[] = RETRYABLE_EXIT_CODES,
): RetryStrategy {
  const evaluateOnExit: EvaluateOnExitRule[] = [
    { action: 'RETRY', onStatusReason: HOST_LOST_STATUS_REASON },
    { action: 'RETRY', onStatusReason: NEVER_STARTED_STATUS_REASON },
    ...retryableExitCodes.map((code) => ({ action: 'RETRY' as const, onExitCode: String(code) })),
    // A container that exits has an exit code; one that never started has only a reason.
    // Between them they catch every other failure.
    { action: 'EXIT', onExitCode: '*' },
    { action: 'EXIT', onReason: '*' },
  ];
  if (evaluateOnExit.length > MAX_RULES) {
    throw new Error(
      `AWS Batch allows ${MAX_RULES} evaluateOnExit rules; ${evaluateOnExit.length} needed for retryable exit codes ${retryableExitCodes.join(', ')}`,
    );
  }
  return { attempts, evaluateOnExit };
}
