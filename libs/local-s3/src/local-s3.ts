// The reference makes the ambient s3rver types reach every program that imports this lib.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./s3rver.d.ts" />
import { createCipheriv } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { EnvironmentError } from '@wordbatch/errors';
import S3rver from 's3rver';
import { fixDelimitedListings, type S3rverStore } from './delimited-listing';

/**
 * The fixed credentials the embedded server accepts. s3rver checks only the access key id of a
 * SigV4 request (an unknown one is 403 InvalidAccessKeyId), not its signature: the signatures
 * are proven by libs/s3-store's sigv4.spec.ts and direct-get specs (docs/reliability.md).
 */
export const LOCAL_S3_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
} as const;

export interface LocalS3Options {
  /** Where the server keeps its buckets on disk. */
  readonly directory: string;
  /** Buckets created before the server accepts requests. */
  readonly buckets?: readonly string[];
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Told of every object GET answered with its body (200 or 206): for progress shown while a run reads. */
  readonly onObjectRead?: (read: ObjectRead) => void;
}

/** One GET of an object's bytes that the server answered. */
export interface ObjectRead {
  readonly bucket: string;
  /** The key as requested (URL-encoded, as on the wire). */
  readonly rawKey: string;
  /** Bytes of the body sent (its Content-Length). */
  readonly bytes: number;
}

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  /** The standard AWS environment that points a stage program at this server. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * s3rver encrypts listing continuation tokens with DES, which OpenSSL 3 only offers with
 * its legacy provider: without it, any listing past 1,000 keys would fail mid-run.
 */
function assertLegacyCiphersAvailable(): void {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    throw new EnvironmentError(
      'the embedded S3 server needs OpenSSL legacy ciphers: run node with --openssl-legacy-provider (NODE_OPTIONS=--openssl-legacy-provider)',
    );
  }
}

/** Starts an S3-compatible server in this process, on a loopback port. */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  assertLegacyCiphersAvailable();
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  fixDelimitedListings((server as unknown as { store: S3rverStore }).store);
  const address = await server.run();
  const onObjectRead = options.onObjectRead;
  if (onObjectRead !== undefined) {
    // A second listener on the HTTP server's requests sees each response as s3rver sends it.
    const httpServer = (server as unknown as { httpServer: Server }).httpServer;
    httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.method !== 'GET') return;
      response.once('finish', () => {
        const path = (request.url ?? '').split('?')[0];
        const slash = path.indexOf('/', 1);
        const query = (request.url ?? '').includes('?') ? (request.url ?? '').split('?')[1] : '';
        if ((response.statusCode !== 200 && response.statusCode !== 206) || slash < 0 || slash === path.length - 1 || /(^|&)(list-type|prefix|delimiter)=/.test(query)) return;
        onObjectRead({ bucket: path.slice(1, slash), rawKey: path.slice(slash + 1), bytes: Number(response.getHeader('content-length') ?? 0) });
      });
    });
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    port: address.port,
    directory: options.directory,
    env: {
      ...LOCAL_S3_CREDENTIALS,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
    },
    close: () => server.close(),
  };
}
