import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Client } from './client';
import { correctClock, DirectGet, keyPath, socketHost, versionQuery } from './direct-get';
import { EMPTY_PAYLOAD_SHA256, RequestSigner } from './sigv4';

// The direct GETs against the SDK itself: its own SigV4 signer (@smithy/signature-v4, the
// version @aws-sdk/client-s3 resolves to, configured as the SDK configures it for S3: no
// second escaping of the path), its requests as they reach a server, and its clock
// correction, which the direct GETs share.

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const ODD_KEYS = [
  'plain.txt',
  'with space/and+plus.txt',
  "bang!quote'(paren)*star",
  'ünïcödé/日本.txt',
  'percent%20/a;b=c&d',
  'double//slash',
  'trailing.dot.',
  'tilde~under_score-dash',
  'emoji 😀/tab\there',
  'question?hash#',
];
const ENDPOINT_SHAPES: { name: string; env: Record<string, string>; bucket: string }[] = [
  { name: 'virtual-hosted AWS', env: { AWS_REGION: 'eu-west-1' }, bucket: 'books' },
  { name: 'path-style AWS (dotted bucket)', env: { AWS_REGION: 'eu-west-1' }, bucket: 'my.books' },
  { name: 'us-east-1 global', env: { AWS_REGION: 'us-east-1' }, bucket: 'books' },
  { name: 'IPv4 with port', env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }, bucket: 'books' },
  { name: 'IPv6 literal with port', env: { AWS_ENDPOINT_URL_S3: 'http://[::1]:9000' }, bucket: 'books' },
  { name: 'IPv6 literal, default port', env: { AWS_ENDPOINT_URL_S3: 'https://[2001:db8::5]' }, bucket: 'books' },
  { name: 'name with a path prefix', env: { AWS_ENDPOINT_URL_S3: 'https://minio.example.com:8443/s3/' }, bucket: 'books' },
];

interface Resolvable {
  endpointOf(bucket: string): Promise<{ url: URL; signer: RequestSigner } | undefined>;
}

/** Version ids as S3 makes them (URL-safe base64 with '.', or "null"), and ones that would need escaping. */
const VERSION_IDS = ['3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nrjfkd', 'null', 'Wq.4x_yZ-0Az~', 'a/b=c&d e'];

/** What the SDK's signer says for the request the direct GET would send. */
async function sdkAuthorization(
  url: URL,
  path: string,
  headers: Record<string, string>,
  region: string,
  date: Date,
  query: Record<string, string> = {},
): Promise<string> {
  const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const signed = await signer.sign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path,
      query,
      headers,
    },
    { signingDate: date },
  );
  return signed.headers['authorization'];
}

describe('the direct GETs against the SDK signer', () => {
  const date = new Date('2026-03-14T15:09:26Z');

  it.each(ENDPOINT_SHAPES)('signs like @smithy/signature-v4 for every odd key: $name', async ({ env, bucket }) => {
    const client = createS3Client({ AWS_REGION: 'us-east-1', ...env, ...{ AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } });
    const direct = new DirectGet(client);
    const endpoint = await (direct as unknown as Resolvable).endpointOf(bucket);
    expect(endpoint).toBeDefined();
    const { url, signer } = endpoint as { url: URL; signer: RequestSigner };
    const region = await client.config.region();
    for (const key of ODD_KEYS) {
      const path = `${url.pathname.replace(/\/$/, '')}/${keyPath(key)}`;
      const headers = { host: url.host, 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256, range: 'bytes=0-99', 'if-match': '"abc"' };
      const ours = signer.sign({ method: 'GET', path, headers }, credentials, date);
      const sdk = await sdkAuthorization(url, path, { ...headers, 'x-amz-date': ours['x-amz-date'] }, region, date);
      expect({ key, authorization: ours['authorization'] }).toEqual({ key, authorization: sdk });
    }
    direct.destroy();
    client.destroy();
  });

  it('signs a GET of one version (the versionId query parameter) like @smithy/signature-v4', async () => {
    const client = createS3Client({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
    const direct = new DirectGet(client);
    const { url, signer } = (await (direct as unknown as Resolvable).endpointOf('books')) as { url: URL; signer: RequestSigner };
    for (const versionId of VERSION_IDS) {
      const path = `${url.pathname.replace(/\/$/, '')}/${keyPath('logs/a b.txt')}`;
      const headers = { host: url.host, 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256, 'if-match': '"abc"' };
      const query = versionQuery(versionId);
      const ours = signer.sign({ method: 'GET', path, query, headers }, credentials, date);
      const sdk = await sdkAuthorization(url, path, { ...headers, 'x-amz-date': ours['x-amz-date'] }, 'eu-west-1', date, { versionId });
      expect({ versionId, authorization: ours['authorization'] }).toEqual({ versionId, authorization: sdk });
    }
    direct.destroy();
    client.destroy();
  });

  it('keeps the brackets of an IPv6 literal in the Host header and drops them for the socket', () => {
    expect(socketHost(new URL('http://[::1]:9000/'))).toBe('::1');
    expect(new URL('http://[::1]:9000/').host).toBe('[::1]:9000');
    expect(socketHost(new URL('http://127.0.0.1:9000/'))).toBe('127.0.0.1');
  });
});

describe('the direct GETs and the SDK on the wire', () => {
  let server: Server;
  let port: number;
  const received: IncomingMessage[] = [];
  /** How far the server's clock is ahead of ours; S3 refuses signatures 15 minutes off. */
  let serverAheadMs = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request);
      const serverNow = Date.now() + serverAheadMs;
      const amzDate = String(request.headers['x-amz-date']);
      const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      const headers = { date: new Date(serverNow).toUTCString() };
      if (Math.abs(serverNow - signedAt) > 15 * 60 * 1000) {
        // S3's answer to a request signed too far from its clock.
        response.writeHead(403, { ...headers, 'content-type': 'application/xml' });
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>${amzDate}</RequestTime><ServerTime>${new Date(serverNow).toISOString()}</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>`,
        );
        return;
      }
      if (request.url?.includes('denied')) {
        response.writeHead(403, { ...headers, 'content-type': 'application/xml' });
        response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
        return;
      }
      if (request.url?.includes('list-type=2')) {
        response.writeHead(200, { ...headers, 'content-type': 'application/xml' });
        response.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>books</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>');
        return;
      }
      response.writeHead(200, { ...headers, 'content-length': '2', etag: '"abc"' });
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received.length = 0;
    serverAheadMs = 0;
  });

  const clientFor = () =>
    createS3Client({
      AWS_ENDPOINT_URL_S3: `http://[::1]:${port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });

  it('reaches an IPv6 literal endpoint with the path and Host header the SDK sends', async () => {
    const client = clientFor();
    const direct = new DirectGet(client);
    for (const key of ODD_KEYS) {
      const sdkResponse = await client.send(new GetObjectCommand({ Bucket: 'books', Key: key }));
      await sdkResponse.Body?.transformToString();
      const ours = await direct.get({ bucket: 'books', key });
      ours?.resume();
      const [sdkRequest, directRequest] = received.splice(0, 2);
      expect({ key, url: directRequest.url, host: directRequest.headers.host }).toEqual({
        key,
        // The SDK adds ?x-id=GetObject, which S3 ignores; the path itself must be the same.
        url: sdkRequest.url?.replace(/\?x-id=GetObject$/, ''),
        host: sdkRequest.headers.host,
      });
      expect(directRequest.headers.host).toBe(`[::1]:${port}`);
    }
    direct.destroy();
    client.destroy();
  });

  it('asks for a version with the versionId query parameter the SDK sends', async () => {
    const client = clientFor();
    const direct = new DirectGet(client);
    for (const versionId of VERSION_IDS) {
      const sdkResponse = await client.send(new GetObjectCommand({ Bucket: 'books', Key: 'a b.txt', VersionId: versionId }));
      await sdkResponse.Body?.transformToString();
      (await direct.get({ bucket: 'books', key: 'a b.txt' }, { versionId }))?.resume();
      const [sdkRequest, directRequest] = received.splice(0, 2).map((request) => new URL(request.url ?? '', 'http://x'));
      expect(directRequest.pathname).toBe(sdkRequest.pathname);
      expect(directRequest.searchParams.get('versionId')).toBe(versionId);
      expect(sdkRequest.searchParams.get('versionId')).toBe(versionId);
    }
    direct.destroy();
    client.destroy();
  });

  it('corrects a clock 20 minutes slow from the server, retries at once, and shares the correction with the SDK', async () => {
    serverAheadMs = 20 * 60 * 1000;
    const client = clientFor();
    const direct = new DirectGet(client);
    const response = await direct.get({ bucket: 'books', key: 'a.txt' });
    response?.resume();
    expect(received.map((request) => request.headers['amz-sdk-request'])).toEqual(['attempt=1; max=8', 'attempt=2; max=8']);
    const offset = (client.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
    expect(Math.abs(offset - serverAheadMs)).toBeLessThan(5_000);
    // The SDK's own next request is signed at the corrected time on its first attempt.
    received.length = 0;
    await client.send(new ListObjectsV2Command({ Bucket: 'books' }));
    expect(received).toHaveLength(1);
    direct.destroy();
    client.destroy();
  });

  it('signs at the time the SDK corrected to, without a failed request of its own', async () => {
    serverAheadMs = -45 * 60 * 1000;
    const client = clientFor();
    await client.send(new ListObjectsV2Command({ Bucket: 'books' }));
    expect(received).toHaveLength(2); // the SDK lost one request to the skew and corrected
    received.length = 0;
    const direct = new DirectGet(client);
    const response = await direct.get({ bucket: 'books', key: 'a.txt' });
    response?.resume();
    expect(received).toHaveLength(1);
    direct.destroy();
    client.destroy();
  });

  it('does not retry a 403 when the clock was right (AccessDenied stays AccessDenied)', async () => {
    const client = clientFor();
    const direct = new DirectGet(client);
    await expect(direct.get({ bucket: 'books', key: 'denied.txt' })).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(received).toHaveLength(1);
    expect((client.config as { systemClockOffset?: number }).systemClockOffset ?? 0).toBe(0);
    direct.destroy();
    client.destroy();
  });
});

describe('correctClock', () => {
  const now = Date.parse('2026-03-14T15:00:00Z');

  it('moves the offset only when the corrected clock is five minutes or more from the server', () => {
    const clock: { systemClockOffset?: number } = {};
    expect(correctClock(clock, 'Sat, 14 Mar 2026 15:04:59 GMT', now)).toBe(false);
    expect(clock.systemClockOffset).toBeUndefined();
    expect(correctClock(clock, 'Sat, 14 Mar 2026 15:05:00 GMT', now)).toBe(true);
    expect(clock.systemClockOffset).toBe(5 * 60 * 1000);
    expect(correctClock(clock, '2026-03-14T15:05:01.000Z', now)).toBe(false);
    expect(correctClock(clock, 'not a date', now)).toBe(false);
    expect(correctClock(clock, undefined, now)).toBe(false);
    expect(correctClock(clock, '2026-03-14T14:00:00Z', now)).toBe(true);
    expect(clock.systemClockOffset).toBe(-60 * 60 * 1000);
  });
});
