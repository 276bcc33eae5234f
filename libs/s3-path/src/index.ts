export {
  asFolder,
  bucketNameProblem,
  childPath,
  formatS3Path,
  isWithin,
  parseS3Path,
  relativeName,
  S3PathError,
} from './s3-path';
export { compareKeys } from './key-order';
export type { S3Path } from './s3-path';
