export { LOCAL_S3_CREDENTIALS, startLocalS3 } from './local-s3';
export type { LocalS3, LocalS3Options } from './local-s3';
