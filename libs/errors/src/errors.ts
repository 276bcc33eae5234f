import { ExitCode } from './exit-codes';

/** A failure the user can act on: it carries its exit code and a one-line message. */
export class StageError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bad flag, URI, index or plan: never worth retrying. */
export class UsageError extends StageError {
  override readonly name: string = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Usage, options);
  }
}

/** A bad flag or argument: the message names it, and the program adds where to read its --help. */
export class CommandLineError extends UsageError {
  override readonly name: string = 'CommandLineError';
}

/** A bucket or object that is missing, or no longer what the plan recorded. */
export class InputChangedError extends StageError {
  override readonly name = 'InputChangedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.InputChanged, options);
  }
}

export class AccessDeniedError extends StageError {
  override readonly name = 'AccessDeniedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.AccessDenied, options);
  }
}

export class IncompleteResultsError extends StageError {
  override readonly name = 'IncompleteResultsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Incomplete, options);
  }
}

/** Something this machine lacks (a program, a daemon): the user installs or starts it. */
export class EnvironmentError extends StageError {
  override readonly name = 'EnvironmentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Environment, options);
  }
}

/** Throttling, timeouts, unreachable endpoints: the job may succeed if run again. */
export class TransientError extends StageError {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Transient, options);
  }
}

/**
 * The stage was asked to stop and did, leaving nothing half-written: SIGTERM (Batch cancel or
 * timeout) exits 143, SIGINT (Ctrl-C) 130, as shells report a process a signal ended.
 */
export class TerminatedError extends StageError {
  override readonly name = 'TerminatedError';
  constructor(signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM') {
    super(
      signal === 'SIGINT' ? 'interrupted (Ctrl-C) before finishing; nothing was written' : 'stopped by SIGTERM before finishing; nothing was written',
      signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated,
    );
  }
}

/** The exit code for any error: a StageError's own, otherwise the one for a bug. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof StageError ? error.exitCode : ExitCode.Internal;
}
