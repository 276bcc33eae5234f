import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Client } from './client';
import { DirectGet, keyPath } from './direct-get';

// The embedded S3 server does not check SigV4 signatures, so this spec checks them itself:
// a capturing HTTP server records each GET and an independent implementation of the
// algorithm as S3 documents it (the key decoded, then URI-encoded again) recomputes the
// signature from what arrived.

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** S3's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ as %XX. */
function uriEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** The signature S3 would compute for a path-style GET of `bucket/key` (of one version), from the request as received. */
function signatureS3WouldExpect(request: IncomingMessage, bucket: string, key: string, versionId?: string): string {
  const authorization = String(request.headers.authorization);
  const [, credential, signedHeaderList] = /Credential=([^,]+), SignedHeaders=([^,]+),/.exec(authorization) ?? [];
  const [, date, region, service] = credential.split('/');
  const signedHeaders = signedHeaderList.split(';');
  const canonicalRequest = [
    'GET',
    `/${bucket}/${key.split('/').map(uriEncode).join('/')}`,
    versionId === undefined ? '' : `versionId=${uriEncode(versionId)}`,
    signedHeaders.map((name) => `${name}:${String(request.headers[name]).trim()}\n`).join(''),
    signedHeaderList,
    String(request.headers['x-amz-content-sha256']),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', String(request.headers['x-amz-date']), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), 'aws4_request');
  return hmac(signingKey, stringToSign).toString('hex');
}

describe('keyPath', () => {
  it('escapes every byte S3 does not leave unreserved, and keeps the slashes', () => {
    expect(keyPath("a b/c+d%e/!'()*/ü~._-")).toBe('a%20b/c%2Bd%25e/%21%27%28%29%2A/%C3%BC~._-');
    expect(keyPath('double//slash/')).toBe('double//slash/');
  });
});

describe('DirectGet', () => {
  let server: Server;
  let endpoint: string;
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request);
      response.writeHead(200, { 'content-length': '2', etag: '"abc"' });
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const keys = ['plain.txt', 'with space/and+plus.txt', "bang!quote'(paren)*star", 'ünïcödé/日本.txt', 'percent%20/a;b=c&d', 'double//slash'];

  it.each([
    ['long-lived keys', {}],
    ['a session token', { AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN' }],
  ])('signs every GET as S3 checks it, with %s', async (_what, extra) => {
    const client = createS3Client({ AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET, ...extra });
    const direct = new DirectGet(client);
    received.length = 0;
    for (const key of keys) {
      const response = await direct.get({ bucket: 'books', key }, { headers: { range: 'bytes=0-1', 'if-match': '"abc"' } });
      response?.resume();
    }
    expect(received).toHaveLength(keys.length);
    received.forEach((request, index) => {
      expect(decodeURIComponent(request.url ?? '')).toBe(`/books/${keys[index]}`);
      const signedHeaders = /SignedHeaders=([^,]+),/.exec(String(request.headers.authorization))?.[1].split(';');
      expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256', 'range', 'if-match']));
      if ('AWS_SESSION_TOKEN' in extra) {
        expect(request.headers['x-amz-security-token']).toBe(extra.AWS_SESSION_TOKEN);
        expect(signedHeaders).toContain('x-amz-security-token');
      }
      expect(String(request.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, /);
      expect(String(request.headers.authorization).endsWith(`Signature=${signatureS3WouldExpect(request, 'books', keys[index])}`)).toBe(true);
    });
    direct.destroy();
    client.destroy();
  });

  it('asks for a version with the versionId query parameter, signed as S3 checks it', async () => {
    const client = createS3Client({ AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET });
    const direct = new DirectGet(client);
    received.length = 0;
    // S3's version ids are URL-safe base64 plus '.', and "null" for objects stored before versioning; '+' and '/' must still be escaped.
    const versions = ['3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', 'null', 'Wq.4x_yZ-0Az~'];
    for (const versionId of versions) (await direct.get({ bucket: 'books', key: 'a b/c.txt' }, { versionId }))?.resume();
    expect(received).toHaveLength(versions.length);
    received.forEach((request, index) => {
      const url = new URL(request.url ?? '', 'http://x');
      expect(url.searchParams.get('versionId')).toBe(versions[index]);
      expect(String(request.headers.authorization).endsWith(`Signature=${signatureS3WouldExpect(request, 'books', 'a b/c.txt', versions[index])}`)).toBe(true);
    });
    direct.destroy();
    client.destroy();
  });

  it('uses the SDK endpoint rules: virtual-hosted for AWS, path-style for dotted buckets', async () => {
    // No request leaves: only where it would go is checked, through the resolved endpoint.
    const client = createS3Client({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET });
    const direct = new DirectGet(client) as unknown as { endpointOf(bucket: string): Promise<{ url: URL } | undefined> };
    expect((await direct.endpointOf('books'))?.url.href).toBe('https://books.s3.eu-west-1.amazonaws.com/');
    expect((await direct.endpointOf('my.books'))?.url.href).toBe('https://s3.eu-west-1.amazonaws.com/my.books');
    (direct as unknown as DirectGet).destroy();
    client.destroy();
  });

  it('leaves buckets that need more than SigV4 (S3 Express directory buckets) to the SDK', async () => {
    const client = createS3Client({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET });
    const direct = new DirectGet(client);
    expect(await direct.get({ bucket: 'books--use1-az4--x-s3', key: 'a.txt' })).toBeUndefined();
    direct.destroy();
    client.destroy();
  });
});
