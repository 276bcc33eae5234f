import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CONNECT_TIMEOUT_MS, IDLE_TIMEOUT_MS, keepAliveAgents } from './connections';
import { awsClientSettings } from './aws-environment';
import { ObjectStore } from './object-store';
import { BoundedRetryStrategy } from './retry';

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The one S3 client of a process, configured from the standard AWS environment as the AWS CLI
 * reads it (awsClientSettings: endpoint, credentials or profile, region), path-style when an
 * endpoint is set (as S3-compatible servers expect), and AWS_MAX_ATTEMPTS (attempts per
 * request, each retry waiting as BoundedRetryStrategy says). Its retry strategy also holds the
 * process's send rate, which throttling answers slow down (retry.ts).
 */
export function createS3Client(env: Env): S3Client {
  const { endpoint, region, credentials, profile } = awsClientSettings(env, 'S3');
  const maxAttempts = Number(env['AWS_MAX_ATTEMPTS']) || DEFAULT_MAX_ATTEMPTS;
  return new S3Client({
    credentials,
    region,
    profile,
    endpoint,
    forcePathStyle: endpoint !== undefined,
    maxAttempts,
    retryStrategy: new BoundedRetryStrategy(maxAttempts),
    // Checksums on every request would make the SDK re-encode streamed uploads as
    // aws-chunked bodies, which S3-compatible servers store corrupted; S3 itself still
    // verifies Content-MD5/length, and uploads are whole-object PUTs.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: IDLE_TIMEOUT_MS,
      ...keepAliveAgents(),
    }),
  });
}

/**
 * Runs `work` with an ObjectStore on a fresh client from `env`, and releases the client's
 * sockets afterwards, whatever happens: the lifecycle every stage program needs once.
 */
export async function withObjectStore<T>(env: Env, work: (store: ObjectStore) => Promise<T>): Promise<T> {
  const store = new ObjectStore(createS3Client(env));
  try {
    return await work(store);
  } finally {
    store.destroy();
  }
}
