export {
  assertRunName,
  defaultPlanUri,
  describeMergeStage,
  describeMigrateStage,
  describePipeline,
  describePlanStage,
  RUN_NAME_PATTERN,
} from './describe';
export type {
  MergeStageOptions,
  MigrateStageOptions,
  PipelineOptions,
  PipelineRun,
  PlanStageOptions,
  StageFlagValues,
  StageInvocation,
} from './describe';
export {
  batchJobName,
  batchResourceNames,
  DEFAULT_NAME_PREFIX,
  MAX_JOB_NAME_LENGTH,
  parseBatchJobName,
  stageOfJobDefinition,
} from './naming';
export type { BatchResourceNames } from './naming';
export { stagesInDependencyOrder } from './order';
export { baseRunName, describeRetry, retryNumberOfRunName } from './retry';
export type { RetryOptions } from './retry';
export { STAGE_NAMES, STAGES } from './stages';
export type { StageCatalogEntry, StageName } from './stages';
