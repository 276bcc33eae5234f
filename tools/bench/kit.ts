// The workspace code the benchmark scripts drive, bundled into one CommonJS file by
// lib/kit.mjs so that plain .mjs scripts can use it (the libs import each other by path alias).
export { startLocalS3 } from '@wordbatch/local-s3';
export { createS3Client, ObjectStore } from '@wordbatch/s3-store';
export { createWordCounter, formatFileCounts, serializeCountLines, WordCounts } from '@wordbatch/word-count';
export { parsePlanHeader, shardResultLocation } from '@wordbatch/plan-schema';
export { formatInventoryReport } from '@wordbatch/plan-inputs';
export { flatKeys, generatedKeys, startListingServer } from '@wordbatch/local-s3';
// The throttling front of the e2e suites (one definition: the bench's throttled run goes through it too).
export { startFaultProxy } from '../../e2e/src/reliability/fault-proxy';
export { throttlePerPrefix } from '../../e2e/src/reliability/prefix-throttle';
