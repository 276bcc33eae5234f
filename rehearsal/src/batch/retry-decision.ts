import type { RetryStrategyJson } from '../stack/applied-stack';

/** How one attempt ended, as Batch reports it in the attempt's container and status reason. */
export interface AttemptEnd {
  readonly exitCode?: number;
  /** container.reason, e.g. "CannotPullContainerError: …"; absent for a container that ran. */
  readonly reason?: string;
  readonly statusReason: string;
  /** An attempt stopped for exceeding attemptDurationSeconds. */
  readonly timedOut: boolean;
}

/**
 * Batch's pattern rule for onExitCode, onReason and onStatusReason: an exact match, unless
 * the pattern ends with `*`, which matches any rest of the string
 * (https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html).
 * A condition on a field the attempt does not have does not match.
 */
export function patternMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return false;
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

/**
 * Whether a failed attempt gets another one, as Batch decides
 * (https://docs.aws.amazon.com/batch/latest/userguide/job_retries.html): never past
 * `attempts`; never after a timeout ("jobs that time out are not retried",
 * https://docs.aws.amazon.com/batch/latest/userguide/job_timeouts.html); otherwise the
 * action of the first evaluateOnExit entry whose conditions all match, and RETRY when none
 * matches (or there are none).
 */
export function shouldRetry(strategy: RetryStrategyJson | undefined, attemptNumber: number, end: AttemptEnd): boolean {
  const attempts = strategy?.attempts ?? 1;
  if (attemptNumber >= attempts || end.timedOut) return false;
  const rule = (strategy?.evaluateOnExit ?? []).find(
    (candidate) =>
      patternMatches(candidate.onExitCode, end.exitCode?.toString()) &&
      patternMatches(candidate.onReason, end.reason) &&
      patternMatches(candidate.onStatusReason, end.statusReason),
  );
  return (rule?.action ?? 'RETRY').toUpperCase() === 'RETRY';
}
