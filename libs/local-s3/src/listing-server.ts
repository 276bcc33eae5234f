import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { endOfPrefix, lowerBound, type ListingKeys } from './listing-keys';
import { LOCAL_S3_CREDENTIALS } from './local-s3';

export interface ListingServerOptions {
  readonly bucket: string;
  readonly keys: ListingKeys;
  /** Added before every answer, as S3's own latency (default 0). */
  readonly latencyMs?: number;
  /** Entries per page at most, below S3's 1,000, so that small key sets still take many pages. */
  readonly pageSize?: number;
}

export interface ListingServer {
  readonly endpoint: string;
  /** The standard AWS environment that points a stage program at this server. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Requests answered so far, by kind, and the bytes of the PUT bodies received. `listMs` adds
   * up every listing request's time from arrival to answer, and `listSpanMs` is the time from
   * the first listing's arrival to the last one's answer: their ratio is how many listings
   * were in flight on average. `listedKeys` adds up the keys (Contents) of every listing's answer.
   */
  readonly counts: { list: number; listedKeys: number; put: number; putBytes: number; inFlight: number; maxInFlight: number; listMs: number; listSpanMs: number };
  close(): Promise<void>;
}

/** S3 never answers more than this many entries per page. */
const MAX_KEYS = 1000;
const LAST_MODIFIED = '2026-01-01T00:00:00.000Z';

/**
 * An S3 endpoint that only lists: ListObjectsV2 over HTTP, answered from `keys` (made up or
 * given) with S3's paging rules, so that listing can be tested and measured at any size
 * without storing a single object. It follows the API reference
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html): at most
 * `max-keys` (1,000) entries a page, keys and common prefixes both counting towards it,
 * in UTF-8 binary order, `start-after`, opaque continuation tokens, and `encoding-type=url`
 * escaping every key, prefix and delimiter in the answer. PUTs are read to their end,
 * counted and dropped (plan writes its shard lists and header there); everything else is 404.
 * Signatures are not checked.
 */
export async function startListingServer(options: ListingServerOptions): Promise<ListingServer> {
  const counts = { list: 0, listedKeys: 0, put: 0, putBytes: 0, inFlight: 0, maxInFlight: 0, listMs: 0, listSpanMs: 0 };
  let firstListAt: number | undefined;
  const latencyMs = options.latencyMs ?? 0;
  const server = createServer((request, response) => {
    counts.inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    response.once('close', () => counts.inFlight--);
    if (request.method === 'GET') {
      const arrived = performance.now();
      firstListAt ??= arrived;
      response.once('close', () => {
        const answered = performance.now();
        counts.listMs += answered - arrived;
        counts.listSpanMs = answered - (firstListAt as number);
      });
    }
    const answer = () => handle(request, response, options, counts);
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    env: { ...LOCAL_S3_CREDENTIALS, AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1' },
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handle(request: IncomingMessage, response: ServerResponse, options: ListingServerOptions, counts: ListingServer['counts']): void {
  const url = new URL(request.url ?? '/', 'http://listing');
  const [, bucket = '', ...keyParts] = url.pathname.split('/');
  if (decodeURIComponent(bucket) !== options.bucket) return error(response, 404, 'NoSuchBucket', request);
  if (request.method === 'PUT' && keyParts.length > 0) {
    request.on('data', (chunk: Buffer) => (counts.putBytes += chunk.length));
    request.on('end', () => {
      counts.put++;
      response.writeHead(200, { ETag: '"d41d8cd98f00b204e9800998ecf8427e"', 'Content-Length': '0' });
      response.end();
    });
    return;
  }
  if (request.method === 'GET' && keyParts.join('') === '' && url.searchParams.get('list-type') === '2') {
    counts.list++;
    request.resume();
    const body = listPage(options.bucket, options.keys, url.searchParams, options.pageSize, counts);
    response.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': body.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0) });
    for (const piece of body) response.write(piece);
    response.end();
    return;
  }
  error(response, 404, 'NoSuchKey', request);
}

function error(response: ServerResponse, status: number, code: string, request: IncomingMessage): void {
  request.resume();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  response.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

type Entry = { readonly kind: 'key'; readonly index: number; readonly key: string } | { readonly kind: 'prefix'; readonly prefix: string };

/**
 * One page of ListObjectsV2's answer for these query parameters, in pieces of at most about
 * 64 KiB: one string of a 230 KB page would be made in V8's large-object space, at many times
 * the CPU (list-page-xml.ts in s3-store says the same of reading one).
 */
export function listPage(bucket: string, keys: ListingKeys, query: URLSearchParams, pageSize = MAX_KEYS, counts?: { listedKeys: number }): string[] {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(pageSize, Number(query.get('max-keys') ?? MAX_KEYS));
  const urlEncoded = query.get('encoding-type') === 'url';
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after') ?? '';

  let position = lowerBound(keys, prefix);
  if (token !== null) {
    const { after, isPrefix } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after: string; isPrefix: boolean };
    position = Math.max(position, pastKey(keys, after));
    if (isPrefix) position = endOfPrefix(keys, after, position);
  } else if (startAfter !== '') position = Math.max(position, pastKey(keys, startAfter));

  const entries: Entry[] = [];
  while (entries.length < maxKeys && position < keys.count) {
    const key = keys.keyAt(position);
    if (!key.startsWith(prefix)) break;
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut === -1) {
      entries.push({ kind: 'key', index: position, key });
      position++;
    } else {
      const common = key.slice(0, cut + delimiter.length);
      entries.push({ kind: 'prefix', prefix: common });
      position = endOfPrefix(keys, common, position);
    }
  }
  const truncated = position < keys.count && keys.keyAt(position).startsWith(prefix) && entries.length > 0;
  const text = (value: string) => (urlEncoded ? urlEncode(value) : escapeXml(value));
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Name>${escapeXml(bucket)}</Name><Prefix>${text(prefix)}</Prefix><KeyCount>${entries.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>`,
    delimiter === '' ? '' : `<Delimiter>${text(delimiter)}</Delimiter>`,
    `<IsTruncated>${truncated}</IsTruncated>`,
    token === null ? '' : `<ContinuationToken>${escapeXml(token)}</ContinuationToken>`,
    startAfter === '' ? '' : `<StartAfter>${text(startAfter)}</StartAfter>`,
    urlEncoded ? '<EncodingType>url</EncodingType>' : '',
  ];
  if (truncated) {
    const last = entries[entries.length - 1];
    const next = last.kind === 'key' ? { after: last.key, isPrefix: false } : { after: last.prefix, isPrefix: true };
    parts.push(`<NextContinuationToken>${Buffer.from(JSON.stringify(next)).toString('base64url')}</NextContinuationToken>`);
  }
  for (const entry of entries) {
    if (entry.kind === 'key') {
      if (counts !== undefined) counts.listedKeys++;
      parts.push(
        `<Contents><Key>${text(entry.key)}</Key><LastModified>${LAST_MODIFIED}</LastModified>` +
          `<ETag>&quot;${keys.etagAt(entry.index)}&quot;</ETag><Size>${keys.sizeAt(entry.index)}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
    }
  }
  for (const entry of entries) if (entry.kind === 'prefix') parts.push(`<CommonPrefixes><Prefix>${text(entry.prefix)}</Prefix></CommonPrefixes>`);
  parts.push('</ListBucketResult>');
  return joinedInPieces(parts);
}

const PIECE_CHARACTERS = 64 * 1024;

function joinedInPieces(parts: readonly string[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  let length = 0;
  for (let index = 0; index < parts.length; index++) {
    length += parts[index].length;
    if (length >= PIECE_CHARACTERS || index === parts.length - 1) {
      pieces.push(parts.slice(start, index + 1).join(''));
      start = index + 1;
      length = 0;
    }
  }
  return pieces;
}

/** The first position whose key is above `key`. */
function pastKey(keys: ListingKeys, key: string): number {
  const position = lowerBound(keys, key);
  return position < keys.count && keys.keyAt(position) === key ? position + 1 : position;
}

/** As S3 escapes with `encoding-type=url`: percent-encoded UTF-8, a space as `+`. */
function urlEncode(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded.includes('%20') ? encoded.replace(/%20/g, '+') : encoded;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
