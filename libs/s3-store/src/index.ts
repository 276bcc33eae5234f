export { createS3Client, withObjectStore } from './client';
export { toStageError } from './errors';
export { decodeUrlEncodedKey, unwritableKeyProblem } from './keys';
export { ObjectStore, unquoteEtag } from './object-store';
export { BODY_READ_ATTEMPTS } from './retry';
export type { ListedObject, ObjectHead, OpenedObject, ReadOptions } from './object-store';
export { PartBudget, readRanges } from './ranged-read';
export type { RangedReadOptions } from './ranged-read';
