export { forEachConcurrent } from './concurrency';
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
