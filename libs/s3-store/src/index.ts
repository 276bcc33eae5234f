export { createS3Client, withObjectStore } from './client';
export { toStageError } from './errors';
export { unwritableKeyProblem } from './keys';
export { ObjectStore, unquoteEtag } from './object-store';
export type { ListedObject, OpenedObject, ReadOptions } from './object-store';
