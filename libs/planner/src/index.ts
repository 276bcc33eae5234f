export { balanceShards, shardCountForBytes } from './balance';
export type { Shard, Sizable } from './balance';
export { createNameFilter, globToRegExp } from './filter';
export { derivePlanId } from './plan-id';
