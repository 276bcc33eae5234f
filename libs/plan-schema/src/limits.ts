// The contract's constants, apart from the zod schemas: a program that needs only these (the
// plan stage's --help, which quotes MAX_SHARDS) then does not load zod to print them.

/**
 * The plan format this build writes. Bump it, and keep reading the old one, when the contract
 * changes. 2 added an item's optional `versionId` and a shard list's optional `skipped`
 * (objects the plan named but could not find): a reader of 1 would refuse those as unknown
 * keys with a misleading message, so they come under a new number that it refuses by name.
 */
export const PLAN_VERSION = 2;

/** Every format version this build reads: a version-1 document is a version-2 one without the new fields. */
export const READABLE_PLAN_VERSIONS: readonly number[] = [1, 2];

/** The AWS Batch array-size limit: a plan never has more shards than this. */
export const MAX_SHARDS = 10_000;
