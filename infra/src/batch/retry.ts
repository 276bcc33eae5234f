import { RETRYABLE_EXIT_CODES } from '@wordbatch/cli';

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
 * Retries what a new attempt can fix and nothing else. Batch takes the first rule that
 * matches and retries when none does, so the list ends with rules that match everything:
 * a usage error (2), a changed input (3), denied access (4), missing shard results (5) or a
 * bug (1) fail at once instead of burning attempts. A timeout or a cancel is never retried
 * by Batch whatever the rules say.
 */
export function retryStrategy(
  attempts: number,
  retryableExitCodes: readonly number[] = RETRYABLE_EXIT_CODES,
): RetryStrategy {
  const evaluateOnExit: EvaluateOnExitRule[] = [
    { action: 'RETRY', onStatusReason: HOST_LOST_STATUS_REASON },
    ...retryableExitCodes.map((code) => ({ action: 'RETRY' as const, onExitCode: String(code) })),
    // A container that exits has an exit code; one that never started (image pull, bad
    // role) has only a reason. Between them they catch every other failure.
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
