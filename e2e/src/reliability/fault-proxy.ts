import { Agent, createServer, request as forward, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of the embedded S3 server. The stages
 * are pointed at it through AWS_ENDPOINT_URL_S3; the test decides, request by request, what
 * goes wrong: injected 503 SlowDown / 500 InternalError answers, GetObject bodies cut by a
 * TCP reset halfway, requests held until released, or the whole endpoint down (connection
 * refused). It only ever connects to the upstream it was given, on loopback.
 *
 * Two things s3rver does differently from S3 are made S3-like here, so that what is tested
 * is the stages, not the test server: listings asked for with `encoding-type=url` are
 * answered URL-encoded (see urlEncodeListing), and request bodies are forwarded only once
 * they have fully arrived: real S3 stores an object only when its whole Content-Length
 * arrived, while s3rver writes straight into its object file, so a PUT cut short by a killed
 * client would leave a partial object there that S3 never would.
 */

export type S3Operation =
  | 'ListObjectsV2'
  | 'GetObject'
  | 'HeadObject'
  | 'PutObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'DeleteObject'
  | 'Other';

export type Outcome = 'pending' | 'forwarded' | 'answered' | 'injected-503' | 'injected-500' | 'reset-mid-body' | 'held' | 'client-gone';

export interface ProxiedRequest {
  readonly seq: number;
  readonly method: string;
  readonly operation: S3Operation;
  readonly bucket: string;
  /** The object key, percent-decoded. */
  readonly key: string;
  /** The request target exactly as it arrived on the wire. */
  readonly rawPath: string;
  /** The client's attempt number for this request (`amz-sdk-request: attempt=N`, sent by the SDK and by the direct GETs); 1 for a first try. */
  readonly attempt: number;
  readonly range: string | undefined;
  outcome: Outcome;
  status: number | undefined;
  /** Body bytes sent to the client (GetObject). */
  bodyBytes: number;
}

export interface FaultRules {
  /** The fraction of eligible requests answered with an injected error instead of being forwarded. */
  readonly errorRate: number;
  readonly errorWhen: (request: ProxiedRequest) => boolean;
  /** Requests answered with an injected error whatever the rate. */
  readonly errorAlwaysWhen: (request: ProxiedRequest) => boolean;
  /** A made-up answer (an S3 error document) for a request, or undefined to go on; it sees the request headers. */
  readonly answerWith: (request: ProxiedRequest, headers: IncomingHttpHeaders) => { status: number; code: string; message: string } | undefined;
  /** GetObject responses cut by a TCP reset after half of their body. */
  readonly resetBodyWhen: (request: ProxiedRequest) => boolean;
  /**
   * Requests held until release(): a GetObject after half of its body, anything else before
   * it is forwarded. A held request whose client goes away is never forwarded.
   */
  readonly holdWhen: (request: ProxiedRequest) => boolean;
}

const NEVER = (): boolean => false;

/** A rule that picks the first request of each key (or of each group `groupOf` names) it is asked about. */
export function firstForEachKey(
  picks: (request: ProxiedRequest) => boolean,
  groupOf: (request: ProxiedRequest) => string = (request) => request.key,
): (request: ProxiedRequest) => boolean {
  const seen = new Set<string>();
  return (request) => {
    if (!picks(request) || seen.has(groupOf(request))) return false;
    seen.add(groupOf(request));
    return true;
  };
}

/** A rule that picks the first matching request only. */
export function firstOnly(picks: (request: ProxiedRequest) => boolean): (request: ProxiedRequest) => boolean {
  let picked = false;
  return (request) => {
    if (picked || !picks(request)) return false;
    picked = true;
    return true;
  };
}
const ALWAYS = (): boolean => true;
export const NO_FAULTS: FaultRules = {
  errorRate: 0,
  errorWhen: ALWAYS,
  errorAlwaysWhen: NEVER,
  answerWith: () => undefined,
  resetBodyWhen: NEVER,
  holdWhen: NEVER,
};

export interface FaultStats {
  readonly requests: number;
  readonly injected503: number;
  readonly injected500: number;
  readonly resets: number;
  /** Requests the client sent as a retry of an earlier attempt (attempt > 1). */
  readonly clientRetries: number;
  readonly byOperation: Record<string, { requests: number; injected: number; resets: number; retries: number }>;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly log: readonly ProxiedRequest[];
  /** Replaces the rules (unspecified ones become "no fault") and forgets nothing of the log. */
  setRules(rules: Partial<FaultRules>): void;
  /** Lets every held request continue. */
  release(): void;
  /** Down: the port refuses connections and open ones are reset. Up: it listens again on the same port. */
  setDown(down: boolean): Promise<void>;
  stats(since?: number): FaultStats;
  /** Resolves with the first request logged at or after `since` that matches, polling for at most `timeoutMs`. */
  waitFor(predicate: (request: ProxiedRequest) => boolean, options?: { since?: number; timeoutMs?: number }): Promise<ProxiedRequest>;
  close(): Promise<void>;
}

/** A small seeded generator, so a failing fault pattern can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function classify(method: string, bucket: string, key: string, query: URLSearchParams): S3Operation {
  if (method === 'GET') return key === '' ? (query.has('list-type') ? 'ListObjectsV2' : 'Other') : 'GetObject';
  if (method === 'HEAD') return key === '' ? 'Other' : 'HeadObject';
  if (method === 'PUT' && key !== '') return query.has('uploadId') ? 'UploadPart' : 'PutObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && bucket !== '') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return 'Other';
}

function describeRequest(seq: number, req: IncomingMessage): ProxiedRequest {
  const rawPath = req.url ?? '/';
  const url = new URL(rawPath, 'http://proxy.invalid');
  // Split the raw path, not url.pathname: the URL parser would resolve `..` segments.
  const path = rawPath.split('?')[0];
  const slash = path.indexOf('/', 1);
  const bucket = decodeURIComponent(slash === -1 ? path.slice(1) : path.slice(1, slash));
  const key = slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1));
  const attempt = /attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''));
  const method = req.method ?? 'GET';
  return {
    seq,
    method,
    operation: classify(method, bucket, key, url.searchParams),
    bucket,
    key,
    rawPath,
    attempt: attempt ? Number(attempt[1]) : 1,
    range: req.headers['range'],
    outcome: 'pending',
    status: undefined,
    bodyBytes: 0,
  };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return XML_ENTITIES[name] ?? entity;
  });
}

/**
 * What S3 answers to a listing with `encoding-type=url`, which s3rver ignores: keys and
 * prefixes URL-encoded (a space as `+`) and `<EncodingType>url</EncodingType>`. Only then can
 * a key holding a character XML cannot carry (CR is read back as LF) be listed faithfully.
 */
function urlEncodeListing(xml: string): string {
  const encode = (text: string) => encodeURIComponent(decodeXmlText(text)).replace(/%20/g, '+').replace(/%2F/gi, '/');
  return xml
    .replace(/<(Key|Prefix|StartAfter|Delimiter)>([^<]*)<\/\1>/g, (_match, tag: string, text: string) => `<${tag}>${encode(text)}</${tag}>`)
    .replace(/(<ListBucketResult[^>]*>)/, '$1<EncodingType>url</EncodingType>');
}

function errorXml(code: string, message: string, seq: number): string {
  const text = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${text}</Message><RequestId>fault-${seq}</RequestId></Error>`;
}

/** Starts a proxy on a random loopback port forwarding to `upstream` (an http://127.0.0.1:PORT endpoint). */
export async function startFaultProxy(upstream: string, seed = 1): Promise<FaultProxy> {
  const target = new URL(upstream);
  if (target.hostname !== '127.0.0.1') throw new Error(`the fault proxy only forwards to loopback, not ${upstream}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const random = seededRandom(seed);
  const log: ProxiedRequest[] = [];
  let rules: FaultRules = NO_FAULTS;
  let held: Array<() => void> = [];
  const inFlight = new Set<{ destroy(): void }>();

  function hold(request: ProxiedRequest, res: ServerResponse, resume: () => void): void {
    request.outcome = 'held';
    let released = false;
    held.push(() => {
      if (released || res.destroyed) return;
      released = true;
      resume();
    });
    res.on('close', () => {
      released = true;
    });
  }

  function sendUpstream(request: ProxiedRequest, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: request.rawPath, headers: req.headers, agent },
      (upstreamResponse) => relayResponse(request, upstreamResponse, res),
    );
    inFlight.add(upstreamRequest);
    upstreamRequest.on('close', () => inFlight.delete(upstreamRequest));
    upstreamRequest.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstreamRequest.destroy();
    });
    upstreamRequest.end(body);
  }

  function relayResponse(request: ProxiedRequest, upstreamResponse: IncomingMessage, res: ServerResponse): void {
    request.status = upstreamResponse.statusCode;
    request.outcome = 'forwarded';
    const length = Number(upstreamResponse.headers['content-length'] ?? 0);
    const ok = upstreamResponse.statusCode !== undefined && upstreamResponse.statusCode < 300;
    if (ok && request.operation === 'ListObjectsV2' && request.rawPath.includes('encoding-type=url')) {
      relayUrlEncodedListing(upstreamResponse, res);
      return;
    }
    res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
    const isBody = ok && request.operation === 'GetObject' && length > 0;
    // Each rule is asked once per request: a rule may count what it has picked.
    const reset = isBody && rules.resetBodyWhen(request);
    const cut = reset || (isBody && rules.holdWhen(request)) ? Math.floor(length / 2) : -1;
    if (cut === -1) {
      upstreamResponse.on('data', (chunk: Buffer) => {
        request.bodyBytes += chunk.length;
      });
      upstreamResponse.pipe(res);
      return;
    }
    let sent = 0;
    const kept: Buffer[] = [];
    upstreamResponse.on('data', (chunk: Buffer) => {
      const room = cut - sent;
      const part = chunk.subarray(0, Math.max(0, room));
      sent += part.length;
      request.bodyBytes = sent;
      if (sent < cut) {
        res.write(part);
      } else if (reset) {
        request.outcome = 'reset-mid-body';
        upstreamResponse.destroy();
        // Let the first half reach the client, then reset: the reader sees a body that stops mid-way.
        res.write(part, () => setTimeout(() => res.socket?.resetAndDestroy(), 10));
      } else {
        if (part.length > 0) res.write(part);
        kept.push(chunk.subarray(part.length));
      }
    });
    if (!reset) {
      upstreamResponse.on('end', () => {
        hold(request, res, () => {
          request.outcome = 'forwarded';
          request.bodyBytes = length;
          res.end(Buffer.concat(kept));
        });
      });
    }
  }

  function relayUrlEncodedListing(upstreamResponse: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
    upstreamResponse.on('end', () => {
      const xml = Buffer.from(urlEncodeListing(Buffer.concat(chunks).toString('utf8')), 'utf8');
      res.writeHead(upstreamResponse.statusCode ?? 200, { ...upstreamResponse.headers, 'content-length': xml.length });
      res.end(xml);
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const request = describeRequest(log.length, req);
    log.push(request);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    res.on('close', () => {
      if (request.outcome === 'pending' || request.outcome === 'held') request.outcome = 'client-gone';
    });
    req.on('end', () => {
      if (res.destroyed) return;
      const body = Buffer.concat(chunks);
      const answer = rules.answerWith(request, req.headers);
      if (answer !== undefined) {
        request.outcome = 'answered';
        request.status = answer.status;
        const xml = errorXml(answer.code, answer.message, request.seq);
        res.writeHead(answer.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        res.end(request.method === 'HEAD' ? undefined : xml);
        return;
      }
      if (rules.errorAlwaysWhen(request) || (rules.errorRate > 0 && rules.errorWhen(request) && random() < rules.errorRate)) {
        const slowDown = random() < 0.5;
        request.outcome = slowDown ? 'injected-503' : 'injected-500';
        request.status = slowDown ? 503 : 500;
        const xml = slowDown
          ? errorXml('SlowDown', 'Please reduce your request rate.', request.seq)
          : errorXml('InternalError', 'We encountered an internal error. Please try again.', request.seq);
        res.writeHead(request.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        res.end(request.method === 'HEAD' ? undefined : xml);
        return;
      }
      if (request.operation !== 'GetObject' && rules.holdWhen(request)) {
        hold(request, res, () => sendUpstream(request, req, body, res));
        return;
      }
      sendUpstream(request, req, body, res);
    });
  }

  let server: Server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let down = false;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    setRules(next) {
      rules = { ...NO_FAULTS, ...next };
    },
    release() {
      const waiting = held;
      held = [];
      for (const resume of waiting) resume();
    },
    async setDown(next) {
      if (next === down) return;
      down = next;
      if (next) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        for (const upstreamRequest of inFlight) upstreamRequest.destroy();
        await closed;
      } else {
        server = createServer(handle);
        server.keepAliveTimeout = 5_000;
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
    },
    stats(since = 0) {
      const byOperation: FaultStats['byOperation'] = {};
      let injected503 = 0;
      let injected500 = 0;
      let resets = 0;
      let clientRetries = 0;
      for (const request of log.slice(since)) {
        const entry = (byOperation[request.operation] ??= { requests: 0, injected: 0, resets: 0, retries: 0 });
        entry.requests++;
        if (request.outcome === 'injected-503') injected503++;
        if (request.outcome === 'injected-500') injected500++;
        if (request.outcome.startsWith('injected')) entry.injected++;
        if (request.outcome === 'reset-mid-body') {
          resets++;
          entry.resets++;
        }
        if (request.attempt > 1) {
          clientRetries++;
          entry.retries++;
        }
      }
      return { requests: log.length - since, injected503, injected500, resets, clientRetries, byOperation };
    },
    async waitFor(predicate, { since = 0, timeoutMs = 20_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = log.slice(since).find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no proxied request matched within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      held = [];
      if (!down) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      for (const upstreamRequest of inFlight) upstreamRequest.destroy();
      agent.destroy();
    },
  };
}
