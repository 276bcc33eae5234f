export { LOCAL_S3_CREDENTIALS, startLocalS3 } from './local-s3';
export type { LocalS3, LocalS3Options, ObjectRead } from './local-s3';
export { flatKeys, generatedKeys, keysFromList } from './listing-keys';
export type { GeneratedKeysOptions, ListedEntry, ListingKeys } from './listing-keys';
export { startListingServer } from './listing-server';
export type { ListingServer, ListingServerOptions } from './listing-server';
