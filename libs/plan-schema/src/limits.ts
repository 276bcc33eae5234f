// The contract's constants, apart from the zod schemas: a program that needs only these (the
// plan stage's --help, which quotes MAX_SHARD_COUNT) then does not load zod to print them.

/** The plan format this build writes and reads. Bump it, and keep reading the old one, when the contract changes. */
export const PLAN_VERSION = 1;

/** The AWS Batch array-size limit: a plan never has more shards than this. */
export const MAX_SHARD_COUNT = 10_000;
