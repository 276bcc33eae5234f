export { assignShards, balanceShards, shardCountForBytes } from './balance';
export type { Shard, ShardAssignment, Sizable, SizedItems } from './balance';
export { createNameFilter, globToRegExp } from './filter';
export { derivePlanId } from './plan-id';
