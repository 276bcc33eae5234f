export { AWS_ENVIRONMENT, LOG_ENVIRONMENT, STAGE_ENVIRONMENT } from './environment';
export { assertWritesOutsideSource, checkPlanValues, DEFAULT_SHARD_BYTES, formatPlanCommand, parsePlanCommand, PLAN_COMMAND, PLAN_FLAGS } from './plan';
export type { PlanFlagValues, PlanInputChoice, PlanOptions } from './plan';
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_PART_BYTES,
  DEFAULT_PARTS_IN_FLIGHT,
  DEFAULT_SPLIT_ABOVE_BYTES,
  formatMigrateCommand,
  INDEX_VARIABLES,
  MAX_CONCURRENCY,
  MIGRATE_COMMAND,
  MIGRATE_FLAGS,
  parseMigrateCommand,
} from './migrate';
export type { IndexChoice, MigrateFlagValues, MigrateOptions } from './migrate';
export { DEFAULT_STOPWORDS, formatMergeCommand, MERGE_COMMAND, MERGE_FLAGS, OUTPUT_FORMATS, parseMergeCommand } from './merge';
export type { MergeFlagValues, MergeOptions, OutputFormat } from './merge';
