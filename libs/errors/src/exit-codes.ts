/**
 * The process exit codes of every wordbatch stage. They are a contract with AWS Batch:
 * the job definitions' retry strategies (infra/) retry only the codes marked retryable,
 * so a bad argument is never retried and a throttled request may be.
 */
export const ExitCode = {
  Ok: 0,
  /** A bug: an error nobody anticipated. Not retried: it would fail the same way. */
  Internal: 1,
  /** Bad flag, bad S3 URI, unreadable or tampered plan, bad index. */
  Usage: 2,
  /** A bucket or object that is missing, or changed since it was planned. */
  InputChanged: 3,
  /** Credentials missing or access denied. */
  AccessDenied: 4,
  /** merge found shard results missing (and --allow-partial was not given). */
  Incomplete: 5,
  /**
   * This machine lacks something the run needs (a container engine on PATH, a running Docker
   * daemon): nothing about the input is wrong, and the message names what to install or start.
   */
  Environment: 6,
  /** Throttling, timeouts, 5xx after the SDK's own retries: worth retrying the job. */
  Transient: 75,
  /** Interrupted by SIGINT (Ctrl-C) before finishing; nothing was written. */
  Interrupted: 130,
  /** Stopped by SIGTERM (Batch cancel or timeout) before finishing; nothing was written. */
  Terminated: 143,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit codes that a scheduler may retry; every other failure is final. */
export const RETRYABLE_EXIT_CODES: readonly ExitCode[] = [ExitCode.Transient];
