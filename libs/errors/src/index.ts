export {
  AccessDeniedError,
  CommandLineError,
  EnvironmentError,
  exitCodeOf,
  IncompleteResultsError,
  InputChangedError,
  StageError,
  TerminatedError,
  TransientError,
  UsageError,
} from './errors';
export { ExitCode, RETRYABLE_EXIT_CODES } from './exit-codes';
export { FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, maxRetryWindowMs, retryDelayMs, retrying, sleep } from './backoff';
