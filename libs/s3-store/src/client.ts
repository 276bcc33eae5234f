import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CONNECT_TIMEOUT_MS, IDLE_TIMEOUT_MS, keepAliveAgents } from './connections';
import { ObjectStore } from './object-store';
import { BoundedRetryStrategy } from './retry';

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The one S3 client of a process, configured from the standard AWS environment:
 * AWS_REGION, AWS_PROFILE, credentials chain, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL
 * (path-style when an endpoint is set, as S3-compatible servers expect) and AWS_MAX_ATTEMPTS
 * (attempts per request, each retry waiting as BoundedRetryStrategy says). Its retry strategy
 * also holds the process's send rate, which throttling answers slow down (retry.ts).
 */
export function createS3Client(env: Env): S3Client {
  const endpoint = env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'] || undefined;
  const maxAttempts = Number(env['AWS_MAX_ATTEMPTS']) || DEFAULT_MAX_ATTEMPTS;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  // Keys in the given environment are used as the SDK would use them from process.env;
  // otherwise the SDK's default chain (profile, container and instance roles) applies.
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] || undefined }
      : undefined;
  return new S3Client({
    credentials,
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
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
