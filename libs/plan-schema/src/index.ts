export { MAX_SHARD_COUNT, PLAN_VERSION } from './limits';
export {
  planHeaderSchema,
  planIdSchema,
  planItemSchema,
  shardListSchema,
  shardResultHeaderSchema,
} from './schemas';
export type {
  PlanHeader,
  PlanItem,
  PlanSettings,
  ShardList,
  ShardResultHeader,
  ShardStats,
  SkippedFile,
  TokenizerName,
} from './schemas';
export { parsePlanHeader, parseShardList, parseShardResultHeader, PlanFormatError } from './parse';
export { PackedPlanItems } from './packed-plan-items';
export { parsePackedShardList, type PackedShardList } from './packed-shard-list';
export {
  assertPlanWritesOutsideSource,
  mergeResultLocation,
  PLAN_COPY_NAME,
  perFileLocation,
  planCopyLocation,
  resultsFolder,
  shardIndexOfResultKey,
  shardListLocation,
  shardListsFolderFor,
  shardResultLocation,
  shardResultsFolder,
  sourceLocation,
} from './layout';
