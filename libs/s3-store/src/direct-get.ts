import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import { retryDelayMs, retrying } from '@wordbatch/errors';
import type { S3Path } from '@wordbatch/s3-path';
import { CONNECT_TIMEOUT_MS, IDLE_TIMEOUT_MS, keepAliveAgents } from './connections';
import { BoundedRetryStrategy, type SendRateLimiter } from './retry';
import { EMPTY_PAYLOAD_SHA256, RequestSigner } from './sigv4';

/** Error bodies are a few hundred bytes of XML; never read more than this of one. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['SlowDown', 'RequestTimeout', 'InternalError', 'ServiceUnavailable', 'Throttling']);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export interface DirectGetOptions {
  readonly signal?: AbortSignal;
  readonly headers?: Readonly<Record<string, string>>;
  /** GET this version of the object (the `versionId` query parameter), not the latest. */
  readonly versionId?: string;
}

/** Where a bucket's objects are fetched from, and how requests to it are signed. */
interface BucketEndpoint {
  readonly url: URL;
  readonly signer: RequestSigner;
}

/** How far the corrected clock may be from the server's before the SDK corrects it again. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * An error shaped like the SDK's (name = S3 error code, $metadata.httpStatusCode), so that
 * toStageError maps a direct GET's failure exactly as it maps the SDK's.
 */
class S3ResponseError extends Error {
  readonly $metadata: { httpStatusCode: number; clockSkewCorrected?: boolean };
  constructor(
    override readonly name: string,
    message: string,
    status: number,
  ) {
    super(message);
    this.$metadata = { httpStatusCode: status };
  }
}

/** The part of the S3 client's resolved configuration that holds its clock correction. */
interface ClockOffsetHolder {
  systemClockOffset?: number;
}

/**
 * GetObject over plain node:http(s), signed with SigV4 from the SDK client's own
 * configuration (credentials chain, region, endpoint rules, attempts).
 *
 * Why not the SDK: it spends about 1 ms of CPU per request on its middleware stack, which
 * caps one core at well under a thousand small objects a second, while a signed request
 * costs a third of that. For a shard of many small files that is the difference between
 * counting and waiting on the client. Everything but the GET itself (listing, writing,
 * multipart uploads) stays on the SDK.
 *
 * Buckets whose endpoint needs more than plain SigV4 (S3 Express directory buckets,
 * multi-region access points) are reported as unsupported, and the caller uses the SDK.
 *
 * The clock correction is the SDK client's own `systemClockOffset`: requests are signed at
 * the corrected time, and every answer's `Date` (or an error's `ServerTime`) moves the offset
 * when the corrected clock is five minutes or more away from it, exactly as the SDK's SigV4
 * signer does; an error answered while the clock was wrong (RequestTimeTooSkewed,
 * RequestExpired, a 403 SignatureDoesNotMatch) is then retried, as the SDK retries errors
 * whose clock skew it corrected. So a host whose clock is off by more than S3's 15 minutes
 * loses one request, then GETs, lists and writes all work, sharing one correction.
 */
export class DirectGet {
  private readonly endpoints = new Map<string, Promise<BucketEndpoint | undefined>>();
  private readonly agents = keepAliveAgents();

  constructor(private readonly client: S3Client) {}

  /**
   * The response of a successful GET (200 or 206; its body not yet read), retried like the
   * SDK retries: throttling, server errors and broken connections, with the bounded backoff
   * of retry.ts. Undefined when the bucket's endpoint is not one this path can sign for.
   */
  async get(path: S3Path, options: DirectGetOptions = {}): Promise<IncomingMessage | undefined> {
    const endpoint = await this.endpointOf(path.bucket);
    if (endpoint === undefined) return undefined;
    const maxAttempts = await this.client.config.maxAttempts();
    const sendRate = await this.sendRate();
    const objectPath = `${endpoint.url.pathname.replace(/\/$/, '')}/${keyPath(path.key)}`;
    return retrying(
      maxAttempts,
      (attempt) =>
        paced(sendRate, options.signal, () =>
          this.requestOnce(endpoint, objectPath, versionQuery(options.versionId), options, `attempt=${attempt}; max=${maxAttempts}`),
        ),
      retryDelay,
      options.signal,
    );
  }

  /**
   * One ListObjectsV2 page of `bucket` (`query`: its canonical query string) as XML, read
   * whole; retried as a GET is, the reading of the body included. Undefined when the
   * bucket's endpoint is not one this path can sign for. Listing goes this way for the same
   * reason GETs do: at ten million keys the SDK's per-request and XML costs were most of
   * plan's CPU (list-page-xml.ts reads the answer).
   */
  async listBucket(bucket: string, query: string, signal?: AbortSignal): Promise<Buffer | undefined> {
    const endpoint = await this.endpointOf(bucket);
    if (endpoint === undefined) return undefined;
    const maxAttempts = await this.client.config.maxAttempts();
    const sendRate = await this.sendRate();
    const bucketPath = `${endpoint.url.pathname.replace(/\/$/, '')}/`;
    return retrying(
      maxAttempts,
      async (attempt) =>
        readBody(await paced(sendRate, signal, () => this.requestOnce(endpoint, bucketPath, query, { signal }, `attempt=${attempt}; max=${maxAttempts}`))),
      retryDelay,
      signal,
    );
  }

  /** The client's own send rate (retry.ts), so that GETs and SDK requests slow down together. */
  private async sendRate(): Promise<SendRateLimiter | undefined> {
    const strategy = await this.client.config.retryStrategy();
    return strategy instanceof BoundedRetryStrategy ? strategy.sendRate : undefined;
  }

  destroy(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  private endpointOf(bucket: string): Promise<BucketEndpoint | undefined> {
    let endpoint = this.endpoints.get(bucket);
    if (endpoint === undefined) {
      endpoint = this.resolveEndpoint(bucket);
      this.endpoints.set(bucket, endpoint);
    }
    return endpoint;
  }

  /** The SDK's own endpoint rules, evaluated once per bucket instead of once per request. */
  private async resolveEndpoint(bucket: string): Promise<BucketEndpoint | undefined> {
    const config = this.client.config;
    const custom = config.isCustomEndpoint ? await config.endpoint?.() : undefined;
    const resolved = config.endpointProvider({
      Bucket: bucket,
      Region: await config.region(),
      UseFIPS: await config.useFipsEndpoint(),
      UseDualStack: await config.useDualstackEndpoint(),
      ForcePathStyle: await setting(config.forcePathStyle),
      Accelerate: await setting(config.useAccelerateEndpoint),
      UseGlobalEndpoint: await setting(config.useGlobalEndpoint),
      DisableMultiRegionAccessPoints: await setting(config.disableMultiregionAccessPoints),
      Endpoint: custom ? `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}${custom.path}` : undefined,
    });
    const scheme = (resolved.properties?.['authSchemes'] as { name?: string; signingName?: string; signingRegion?: string }[] | undefined)?.[0];
    if (scheme?.name !== 'sigv4' || !scheme.signingRegion || Object.keys(resolved.headers ?? {}).length > 0) return undefined;
    const url = new URL(resolved.url.href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const signer = new RequestSigner({ region: scheme.signingRegion, service: scheme.signingName ?? 's3' });
    return { url, signer };
  }

  /** One signed GET of `path` (as sent, already URI-encoded) with `query` (canonical). */
  private async requestOnce(endpoint: BucketEndpoint, path: string, query: string, options: DirectGetOptions, attempt: string): Promise<IncomingMessage> {
    const { url, signer } = endpoint;
    const clock = this.client.config as ClockOffsetHolder;
    const headers = signer.sign(
      { method: 'GET', path, query, headers: { ...options.headers, host: url.host, 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256 } },
      await this.client.config.credentials(),
      new Date(Date.now() + (clock.systemClockOffset ?? 0)),
    );
    const https = url.protocol === 'https:';
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        // An IPv6 literal keeps its brackets in the Host header (url.host) but not for the socket.
        hostname: socketHost(url),
        port: url.port || undefined,
        path: query === '' ? path : `${path}?${query}`,
        method: 'GET',
        // The SDK's attempt header, unsigned as the SDK sends it: servers and proxies can tell retries apart.
        headers: { ...headers, 'amz-sdk-request': attempt },
        agent: https ? this.agents.httpsAgent : this.agents.httpAgent,
        signal: options.signal,
        timeout: IDLE_TIMEOUT_MS,
      });
      request.on('timeout', () => request.destroy(new S3ResponseError('TimeoutError', 'no answer from S3', 0)));
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => request.destroy(new S3ResponseError('TimeoutError', 'could not connect', 0)), CONNECT_TIMEOUT_MS);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      request.on('error', reject);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status === 200 || status === 206) {
          correctClock(clock, response.headers.date);
          resolve(response);
        } else {
          readError(response, status).then((error) => {
            if (correctClock(clock, error.serverTime ?? response.headers.date)) error.s3.$metadata.clockSkewCorrected = true;
            reject(error.s3);
          }, reject);
        }
      });
      request.end();
    });
  }
}

/** A key as S3 expects it in a path: every byte but unreserved ones escaped, `/` kept. */
export function keyPath(key: string): string {
  return key.split('/').map(uriEncode).join('/');
}

/** The canonical query string of a GET of `versionId` (empty for the latest version). */
export function versionQuery(versionId: string | undefined): string {
  return versionId === undefined ? '' : `versionId=${uriEncode(versionId)}`;
}

/** SigV4's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ escaped (encodeURIComponent leaves !'()* too). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The host to open a socket to: the URL's hostname, without the brackets of an IPv6 literal. */
export function socketHost(url: URL): string {
  return url.hostname.startsWith('[') && url.hostname.endsWith(']') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Moves the shared clock offset to the server's time when the corrected clock is five
 * minutes or more away from it (the SDK's getUpdatedSystemClockOffset). True when it moved.
 */
export function correctClock(clock: ClockOffsetHolder, serverTime: string | undefined, now = Date.now()): boolean {
  if (serverTime === undefined) return false;
  const server = Date.parse(serverTime);
  const offset = clock.systemClockOffset ?? 0;
  if (Number.isNaN(server) || Math.abs(now + offset - server) < CLOCK_SKEW_TOLERANCE_MS) return false;
  clock.systemClockOffset = server - now;
  return true;
}

function isClockSkewCorrected(error: unknown): boolean {
  return error instanceof S3ResponseError && error.$metadata.clockSkewCorrected === true;
}

/** The S3 error an unsuccessful response carries in its XML body, and the server time it names. */
async function readError(response: IncomingMessage, status: number): Promise<{ s3: S3ResponseError; serverTime?: string }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (length < MAX_ERROR_BODY_BYTES) chunks.push(chunk);
    length += chunk.length;
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] || `Http${status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] || `HTTP ${status}`;
  // RequestTimeTooSkewed names the server's time; the Date header says it for every answer.
  const serverTime = /<ServerTime>([^<]*)<\/ServerTime>/.exec(body)?.[1];
  return { s3: new S3ResponseError(code, message, status), serverTime };
}

/** How long before retrying after `error`, or undefined to give up. A corrected clock needs no wait: the next signature is simply right. */
function retryDelay(error: unknown, retry: number): number | undefined {
  return !isRetryable(error) ? undefined : isClockSkewCorrected(error) ? 0 : retryDelayMs(retry);
}

/** A successful answer's whole body, as text. */
async function readBody(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof S3ResponseError) {
    return isClockSkewCorrected(error) || error.name === 'TimeoutError' || RETRYABLE_STATUS.has(error.$metadata.httpStatusCode) || RETRYABLE_CODES.has(error.name);
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code);
}

/** A resolved client setting: the SDK types some as a value or a function returning it. */
async function setting(value: boolean | (() => Promise<boolean | undefined>) | undefined): Promise<boolean | undefined> {
  return typeof value === 'function' ? value() : value;
}

/**
 * Sends one request when the send rate allows, and tells the rate how it was answered (a
 * SlowDown cuts it). The wait for the send rate ends at once when `signal` aborts (SIGTERM).
 */
async function paced<T>(sendRate: SendRateLimiter | undefined, signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> {
  if (sendRate === undefined) return send();
  await untilAborted(sendRate.getSendToken(), signal);
  try {
    const answer = await send();
    sendRate.updateClientSendingRate({});
    return answer;
  } catch (error) {
    sendRate.updateClientSendingRate(error);
    throw error;
  }
}

/** `wait`, or the signal's reason as soon as it aborts. */
function untilAborted(wait: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return wait;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
