export { inputFlag, inputUri } from './input';
export type { NamedObject, PlanInput } from './input';
export { keyListFormat, readKeyList } from './key-list';
export type { KeyListFormat } from './key-list';
export { readInventory, readInventoryManifest } from './inventory';
export { gatherNamedObjects, LOOKUP_CONCURRENCY, missingObject } from './named-objects';
export type { GatheredObjects, GatherOptions, NamedInput } from './named-objects';
// The writer of the format readInventory reads: S3 cannot be asked for a report in the tests and the benchmark.
export { encodeInventoryKey, formatInventoryReport } from './inventory-report';
export type { InventoryReport, InventoryRow } from './inventory-report';
