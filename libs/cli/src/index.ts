export {
  AccessDeniedError,
  exitCodeOf,
  IncompleteResultsError,
  InputChangedError,
  StageError,
  TerminatedError,
  TransientError,
  UsageError,
} from './errors';
export { forEachConcurrent, sleep } from './concurrency';
export { ExitCode, RETRYABLE_EXIT_CODES } from './exit-codes';
export {
  parseChoiceFlag,
  parseFlags,
  parseIntegerFlag,
  parseS3Flag,
  parseSizeFlag,
  requireFlag,
} from './flags';
export type { FlagSpec, FlagSpecs, ParsedFlags } from './flags';
export { createLogger, redactSecrets } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { runStage } from './run-stage';
export { megabytesPerSecond } from './throughput';
export type { StageContext, StageIo, StageProgram } from './run-stage';
