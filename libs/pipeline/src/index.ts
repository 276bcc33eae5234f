export { defaultPlanUri, describePipeline } from './describe';
export type { PipelineOptions, PipelineRun, StageInvocation } from './describe';
export { MAX_SHARDS, STAGE_NAMES, STAGES } from './stages';
export type { StageCatalogEntry, StageName } from './stages';
