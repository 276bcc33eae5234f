export { MAX_SHARDS, PLAN_VERSION } from './limits';
export { formatIndexMap, IndexMapError, MAX_INDEX_MAP_BYTES, parseIndexMap } from './index-map';
export { SKIP_REASON_DESCRIPTIONS, SKIP_REASONS, skipReasonSchema, type SkipReason } from './skip-reasons';
export { canonicalEncoding } from './encodings';
export {
  DEFAULT_MAX_EXPANDED_BYTES,
  DEFAULT_MAX_EXPANSION_RATIO,
  DEFAULT_TEXT_SETTINGS,
  textSettingsOf,
} from './text-settings';
export {
  planHeaderDocument,
  planHeaderSchema,
  planIdSchema,
  planItemSchema,
  shardListSchema,
  shardResultHeaderSchema,
  shardTimingSchema,
} from './schemas';
export type {
  PlanHeader,
  PlanHeaderDocument,
  PlanItem,
  PlanSettings,
  ShardList,
  ShardResultHeader,
  ShardStats,
  ShardTiming,
  SkippedFile,
  InvalidText,
  TextSettings,
  TokenizerName,
} from './schemas';
export { formatPlanHeader, parsePlanHeader, parseShardList, parseShardResultHeader, parseShardTiming, PlanFormatError } from './parse';
export { PackedPlanItems, PlanItemPacker } from './packed-plan-items';
export { shardListChunks } from './shard-list-text';
export { parsePackedShardList, type PackedShardList } from './packed-shard-list';
export {
  assertPlanWritesOutsideSource,
  indexMapLocation,
  MERGE_RESULT_NAME,
  mergeResultLocation,
  PLAN_COPY_NAME,
  perFileLocation,
  planCopyLocation,
  resultsFolder,
  retryNumberOfIndexMap,
  runActualsLocation,
  RUN_ACTUALS_NAME,
  shardIndexOfResultKey,
  shardListLocation,
  shardListsFolderFor,
  shardResultLocation,
  SHARD_RESULTS_FOLDER,
  shardResultName,
  shardResultsFolder,
  shardTimingLocation,
  shardTimingName,
  SHARD_TIMINGS_FOLDER,
  shardTimingsFolder,
  sourceLocation,
} from './layout';
