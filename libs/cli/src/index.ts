// The command-line definitions live in a lib of their own, which the stage definitions (a lib)
// may use; the apps keep importing them from here with the rest of the CLI plumbing.
export * from '@wordbatch/command-line';
export { createLogger, redactSecrets } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { runStage, runStageAsProcess } from './run-stage';
export { megabytesPerSecond } from './throughput';
export type { StageContext, StageIo, StageProcess, StageProgram } from './run-stage';
export { leadingAwsFlags, LOG_LEVELS, takeCommonFlags } from './common-flags';
export type { CommonFlags } from './common-flags';
export { BUILD_VERSION } from './version';
