import { createHash, createHmac } from 'node:crypto';

/** SHA-256 of an empty payload, which is what a GET sends. */
export const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SigningScope {
  readonly region: string;
  readonly service: string;
}

/** A request without a body: its path as sent (already URI-encoded, no query), its query and its headers. */
export interface UnsignedRequest {
  readonly method: string;
  readonly path: string;
  /** The canonical query string: each name and value URI-encoded, sorted by name, `&`-joined (empty: none). */
  readonly query?: string;
  /** Lower-case names; `host` among them. All of them are signed. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The headers that sign `request` with AWS Signature Version 4: the given ones plus
 * x-amz-date, x-amz-security-token (with temporary credentials) and authorization.
 *
 * Written for the direct GETs (direct-get.ts) rather than taken from the SDK's signer,
 * which clones the request and recomputes an HMAC to look up its key cache on every call:
 * a fifth of a small GET's CPU. Here the derived key is kept for the one scope and day in use.
 * The path is signed as sent (S3 neither normalizes nor double-encodes it).
 */
export class RequestSigner {
  private cachedKey: { readonly id: string; readonly key: Buffer } | undefined;

  constructor(private readonly scope: SigningScope) {}

  sign(request: UnsignedRequest, credentials: SigningCredentials, now: Date = new Date()): Record<string, string> {
    const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const headers: Record<string, string> = { ...request.headers, 'x-amz-date': amzDate };
    if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
    const names = Object.keys(headers).sort();
    const canonicalRequest = [
      request.method,
      request.path,
      request.query ?? '',
      names.map((name) => `${name}:${headers[name].trim().replace(/\s+/g, ' ')}\n`).join(''),
      names.join(';'),
      headers['x-amz-content-sha256'] ?? EMPTY_PAYLOAD_SHA256,
    ].join('\n');
    const credentialScope = `${day}/${this.scope.region}/${this.scope.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${credentialScope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const signature = createHmac('sha256', this.signingKey(credentials.secretAccessKey, day)).update(stringToSign).digest('hex');
    headers['authorization'] =
      `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
    return headers;
  }

  private signingKey(secret: string, day: string): Buffer {
    const id = `${day}\n${secret}`;
    if (this.cachedKey?.id !== id) {
      const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
      const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), this.scope.region), this.scope.service), 'aws4_request');
      this.cachedKey = { id, key };
    }
    return this.cachedKey.key;
  }
}
