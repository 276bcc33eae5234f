import { Readable } from 'node:stream';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { listObjectsV2Query, listResponseOf, parseListPageXml, rawListPageOfSdk } from './list-page-xml';

/**
 * The SDK's own reading of `body`: a real S3Client and ListObjectsV2Command whose HTTP handler
 * answers with these bytes, so the SDK's deserializer (fast-xml-parser and the S3 shapes) runs
 * exactly as it does on a real answer.
 */
async function sdkReading(body: Buffer) {
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'application/xml' }, body: Readable.from([body]) },
      }),
    } as never,
  });
  try {
    return rawListPageOfSdk(await client.send(new ListObjectsV2Command({ Bucket: 'b', EncodingType: 'url' })));
  } finally {
    client.destroy();
  }
}

/**
 * Both readings of the same bytes; the fast one may take the page or decline it. `inPieces`:
 * the fast reading of the body cut into pieces of sizes from 1 byte (a cut after every element
 * it may cut at) to the page's length.
 */
async function bothReadings(xml: string) {
  const body = Buffer.from(xml, 'utf8');
  const inPieces = [];
  for (let pieceBytes = 1; pieceBytes < body.length; pieceBytes += Math.max(1, Math.floor(pieceBytes / 2))) inPieces.push(parseListPageXml(body, pieceBytes));
  return { fast: parseListPageXml(body), inPieces, sdk: await sdkReading(body) };
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface PageSpec {
  readonly objects: readonly { key: string; size?: number; etag?: string; extras: readonly string[] }[];
  readonly prefixes: readonly string[];
  readonly truncated?: boolean;
  readonly token?: string;
  readonly encodingType?: string;
  readonly indent: string;
}

/** A ListBucketResult as S3 writes one, every field S3 may send included where asked. */
function s3Page(spec: PageSpec): string {
  const n = spec.indent;
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>', n, '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'];
  parts.push(`${n}<Name>b</Name>${n}<Prefix>docs/</Prefix>${n}<KeyCount>${spec.objects.length + spec.prefixes.length}</KeyCount>${n}<MaxKeys>1000</MaxKeys>`);
  if (spec.encodingType !== undefined) parts.push(`${n}<EncodingType>${spec.encodingType}</EncodingType>`);
  if (spec.truncated !== undefined) parts.push(`${n}<IsTruncated>${spec.truncated}</IsTruncated>`);
  if (spec.token !== undefined) parts.push(`${n}<ContinuationToken>${escapeText(spec.token)}x</ContinuationToken>${n}<NextContinuationToken>${escapeText(spec.token)}</NextContinuationToken>`);
  for (const object of spec.objects) {
    parts.push(`${n}<Contents>${n}<Key>${escapeText(object.key)}</Key>${n}<LastModified>2026-01-01T00:00:00.000Z</LastModified>`);
    if (object.etag !== undefined) parts.push(`${n}<ETag>${escapeText(object.etag).replace(/"/g, '&quot;')}</ETag>`);
    for (const extra of object.extras) parts.push(`${n}${extra}`);
    if (object.size !== undefined) parts.push(`${n}<Size>${object.size}</Size>`);
    parts.push(`${n}<StorageClass>STANDARD</StorageClass>${n}</Contents>`);
  }
  for (const prefix of spec.prefixes) parts.push(`${n}<CommonPrefixes>${n}<Prefix>${escapeText(prefix)}</Prefix>${n}</CommonPrefixes>`);
  parts.push(`${n}</ListBucketResult>`);
  return parts.join('');
}

/** Fields S3 puts in a Contents element that listing does not read. */
const EXTRAS = [
  '<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>a&amp;b &lt;team&gt;</DisplayName></Owner>',
  '<ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumAlgorithm>SHA256</ChecksumAlgorithm>',
  '<ChecksumType>FULL_OBJECT</ChecksumType>',
  '<RestoreStatus><IsRestoreInProgress>false</IsRestoreInProgress><RestoreExpiryDate>2026-02-01T00:00:00.000Z</RestoreExpiryDate></RestoreStatus>',
];

/** S3's URL encoding of a key in a listing (form encoding: a space is `+`). */
const urlEncoded = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

describe('parseListPageXml against the SDK deserializer', () => {
  it('reads every page S3 writes exactly as the SDK does: keys of any characters, URL-encoded or not, ETags, sizes, prefixes, tokens, owner/checksum/restore fields', async () => {
    const key = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.constantFrom(' ', '  ', 'a&b', '<x>', 'a"b\'c', '%41', 'a+b', 'd/e/f', '/', '&amp;', 'ü/ß', '😀'));
    const object = fc.record({
      key,
      size: fc.option(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(5 * 2 ** 40)), { nil: undefined }),
      etag: fc.option(fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((hex) => `"${hex}"`), fc.constant('"9b2cf535f27731c974343645a3985328-12"'), fc.constant('W/"abc"')), { nil: undefined }),
      extras: fc.subarray(EXTRAS),
    });
    const page = fc.record({
      objects: fc.array(object, { maxLength: 8 }),
      prefixes: fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).map((text) => `${text}/`), { maxLength: 4 }),
      truncated: fc.option(fc.boolean(), { nil: undefined }),
      token: fc.option(fc.base64String({ minLength: 4, maxLength: 40 }).map((text) => `1${text}+/=`), { nil: undefined }),
      encodingType: fc.option(fc.constant('url'), { nil: undefined }),
      indent: fc.constantFrom('', '\n', '\n  ', '\t'),
    });
    await fc.assert(
      fc.asyncProperty(page, async (spec) => {
        const encoded: PageSpec =
          spec.encodingType === 'url'
            ? { ...spec, objects: spec.objects.map((entry) => ({ ...entry, key: urlEncoded(entry.key) })), prefixes: spec.prefixes.map(urlEncoded) }
            : spec;
        const { fast, inPieces, sdk } = await bothReadings(s3Page(encoded));
        for (const reading of inPieces) expect(reading).toEqual(fast);
        // S3 itself never sends these raw (it escapes them in keys with encoding-type=url); the SDK reads such pages.
        // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are the point
        const notXml = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s3Page(encoded));
        // Indentation without a line feed makes the SDK read elements as their whitespace: declined too.
        if (!notXml && (spec.indent === '' || spec.indent.includes('\n'))) expect(fast).toBeDefined();
        if (fast !== undefined) {
          expect(fast).toEqual(sdk);
          expect(listResponseOf(fast)).toEqual(listResponseOf(sdk));
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['an empty page', s3Page({ objects: [], prefixes: [], truncated: false, indent: '\n' })],
    ['a page of prefixes only', s3Page({ objects: [], prefixes: ['a/', 'b%20c/'], truncated: true, token: 'tok', encodingType: 'url', indent: '' })],
    ['whitespace-only keys (the SDK empties those holding a line feed)', s3Page({ objects: [{ key: '  ', size: 1, extras: [] }, { key: ' \n ', size: 2, extras: [] }, { key: '\t', size: 3, extras: [] }], prefixes: [], indent: '\n' })],
    ['a key with every escaped character', s3Page({ objects: [{ key: `&<>"' &amp;lt;`, size: 1, etag: '"x"', extras: EXTRAS }], prefixes: [], indent: '' })],
    ['a page without optional fields', '<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>'],
    ['an empty token', '<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken></NextContinuationToken></ListBucketResult>'],
  ])('reads %s as the SDK does', async (_, xml) => {
    const { fast, inPieces, sdk } = await bothReadings(xml);
    for (const reading of inPieces) expect(reading).toEqual(fast);
    expect(fast).toBeDefined();
    expect(fast).toEqual(sdk);
  });

  it.each([
    ['CDATA', '<ListBucketResult><Contents><Key><![CDATA[a<b]]></Key><Size>1</Size></Contents></ListBucketResult>'],
    ['a comment', '<ListBucketResult><!-- x --><Contents><Key>a</Key></Contents></ListBucketResult>'],
    ['character references', '<ListBucketResult><Contents><Key>a&#xD;b&#10;c&#128512;</Key></Contents></ListBucketResult>'],
    ['a carriage return', '<ListBucketResult><Contents><Key>a\r\nb</Key></Contents></ListBucketResult>'],
    ['a self-closing element', '<ListBucketResult><Contents><Key/><Size>1</Size></Contents></ListBucketResult>'],
    ['an attribute on a field', '<ListBucketResult><Contents><Key a="1">k</Key></Contents></ListBucketResult>'],
    ['two keys in one Contents', '<ListBucketResult><Contents><Key>a</Key><Key>b</Key></Contents></ListBucketResult>'],
    ['a character XML forbids', '<ListBucketResult><CommonPrefixes><Prefix>\u0000/</Prefix></CommonPrefixes></ListBucketResult>'],
    ['a size that is not a whole number', '<ListBucketResult><Contents><Key>a</Key><Size>1.5</Size></Contents></ListBucketResult>'],
    ['spaces between elements', '<ListBucketResult> <Contents> <Key>a</Key> </Contents> </ListBucketResult>'],
    ['another root', '<Error><Code>InternalError</Code></Error>'],
    // The SDK refuses these two (more than one root).
    ['a Contents after the root', '<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult><Contents><Key>b</Key></Contents>'],
    ['a Contents before the root', '<Contents><Key>a</Key></Contents><ListBucketResult><Contents><Key>b</Key></Contents></ListBucketResult>'],
  ])('declines %s, whole and in pieces, which the SDK then reads', async (_, xml) => {
    const body = Buffer.from(xml);
    for (let pieceBytes = 1; pieceBytes <= body.length; pieceBytes++) expect(parseListPageXml(body, pieceBytes)).toBeUndefined();
  });

  it('reads a Contents inside another element as the SDK does, or declines it where a cut falls inside that element', async () => {
    const xml = '<ListBucketResult><Other><Contents><Key>a</Key></Contents><Key>b</Key></Other><Contents><Key>c</Key></Contents></ListBucketResult>';
    const { fast, inPieces, sdk } = await bothReadings(xml);
    expect(fast).toEqual(sdk);
    for (const reading of inPieces) if (reading !== undefined) expect(reading).toEqual(sdk);
    expect(inPieces[0]).toBeUndefined();
  });

  it('reads a page of 1,000 keys (about 230 KB, several pieces) as the SDK does', async () => {
    const objects = Array.from({ length: 1_000 }, (_, index) => ({ key: `data%2Fd${index % 7}%2Fpart-${String(index).padStart(6, '0')}.txt`, size: index * 37, etag: `"${String(index).padStart(32, 'a')}"`, extras: EXTRAS }));
    const xml = s3Page({ objects, prefixes: ['p%2F'], truncated: true, token: 'next', encodingType: 'url', indent: '\n' });
    expect(xml.length).toBeGreaterThan(3 * 64 * 1024);
    const body = Buffer.from(xml);
    const fast = parseListPageXml(body);
    expect(fast?.contents).toHaveLength(1_000);
    expect(fast).toEqual(await sdkReading(body));
    expect(parseListPageXml(body, Number.MAX_SAFE_INTEGER)).toEqual(fast);
  });
});

describe('listObjectsV2Query', () => {
  it('is the canonical query SigV4 signs: names sorted, values URI-encoded', () => {
    expect(listObjectsV2Query({ prefix: 'a b/ü+', delimited: true, startAfter: "x'(y)", continuationToken: '1/a+b=' })).toBe(
      "continuation-token=1%2Fa%2Bb%3D&delimiter=%2F&encoding-type=url&list-type=2&prefix=a%20b%2F%C3%BC%2B&start-after=x%27%28y%29",
    );
    expect(listObjectsV2Query({ prefix: '', delimited: false })).toBe('encoding-type=url&list-type=2&prefix=');
  });
});
