export * from './s3-path';
