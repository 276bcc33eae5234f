import fc from 'fast-check';
import { asFolder, bucketNameProblem, childPath, formatS3Path, isWithin, parseS3Path, relativeName, S3PathError, type S3Path } from './s3-path';

/** Property tests: whatever the string, the parser answers with a valid path or an S3PathError. */

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Any code point, unpaired surrogates (which 'binary' never yields) included; and characters URIs and S3 treat specially. */
const anyCharacter = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('/', '.', '..', '%', '%2F', '+', ' ', '?', '#', '\\', ':', '@', '\u0000', '\n', '\r', '\u200b', '\ufeff', 'é', '𝐀'),
);
const anyText = fc.string({ unit: anyCharacter, maxLength: 40 });

/** Valid bucket names, often at the 3- and 63-character limits (a uniform length rarely lands on either). */
const bucketName = fc
  .oneof(
    fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    fc.stringMatching(/^[a-z0-9][a-z0-9.-][a-z0-9]$/),
    fc.stringMatching(/^[a-z0-9][a-z0-9.-]{61}[a-z0-9]$/),
  )
  .filter((name) => bucketNameProblem(name) === undefined);
/** Near-names: one character short of or past the limits, a letter or symbol S3 refuses, a dot or hyphen at either end. */
const bucketLike = fc.oneof(
  bucketName,
  fc.string({ unit: fc.constantFrom('a', 'B', '1', '.', '-', '_', ' ', 'é'), maxLength: 70 }),
  fc.stringMatching(/^[a-z0-9]{1,2}$|^[a-z0-9]{64,66}$/),
  fc.tuple(fc.constantFrom('-', '.', ''), bucketName, fc.constantFrom('-', '.', '')).map(([head, name, tail]) => `${head}${name}${tail}`),
);
/** Keys of valid Unicode, sometimes at and over the 1,024-byte limit. */
const validKey = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', '/', 'é', '𝐀', '日'), minLength: 250, maxLength: 520 }),
);

const uriLike = fc.oneof(
  anyText,
  fc.tuple(fc.constantFrom('s3://', 'S3://', 's3:/', 's3:', 's3://s3://', ' s3://', ''), bucketLike, fc.option(fc.tuple(fc.constantFrom('/', '//'), anyText))).map(
    ([scheme, bucket, rest]) => `${scheme}${bucket}${rest === null ? '' : rest.join('')}`,
  ),
);

function parseOrError(uri: string): S3Path | S3PathError {
  try {
    return parseS3Path(uri);
  } catch (error) {
    if (error instanceof S3PathError) return error;
    throw error;
  }
}

describe('parseS3Path on any string', () => {
  it('returns a valid path that prints back to the same URI, or throws an S3PathError that quotes it', () => {
    fc.assert(
      fc.property(uriLike, (uri) => {
        const parsed = parseOrError(uri);
        if (parsed instanceof S3PathError) {
          expect(parsed.message.startsWith(`"${uri}"`)).toBe(true);
          return;
        }
        expect(bucketNameProblem(parsed.bucket)).toBeUndefined();
        expect(Buffer.byteLength(parsed.key, 'utf8')).toBeLessThanOrEqual(1024);
        expect(UNPAIRED_SURROGATE.test(parsed.key)).toBe(false);
        expect([uri, `${uri}/`]).toContain(formatS3Path(parsed));
        expect(parseS3Path(formatS3Path(parsed))).toEqual(parsed);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses every bucket name outside 3 to 63 characters, or that starts or ends with a dot or hyphen', () => {
    fc.assert(
      fc.property(bucketLike, (bucket) => {
        const outOfRules = bucket.length < 3 || bucket.length > 63 || /^[.-]|[.-]$/.test(bucket);
        if (outOfRules) expect(parseOrError(`s3://${bucket}/k`)).toBeInstanceOf(S3PathError);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes every valid bucket and key literally (no decoding, no normalising)', () => {
    fc.assert(
      fc.property(bucketName, validKey, (bucket, key) => {
        const uri = `s3://${bucket}/${key}`;
        const parsed = parseOrError(uri);
        if (Buffer.byteLength(key, 'utf8') > 1024) {
          expect(parsed).toBeInstanceOf(S3PathError);
          expect((parsed as S3PathError).message).toMatch(/key longer than 1024 bytes/);
        } else {
          expect(parsed).toEqual({ bucket, key });
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('folders and names', () => {
  const folder = fc.record({ bucket: bucketName, key: fc.oneof(fc.constant(''), anyText) });

  it('puts a child inside its folder and gives its name back', () => {
    fc.assert(
      fc.property(folder, anyText, (parent, name) => {
        const child = childPath(parent, name);
        expect(isWithin(child, parent)).toBe(true);
        expect(relativeName(parent, child.key)).toBe(name);
      }),
      { numRuns: 1000 },
    );
  });

  it('counts a location as within a folder exactly when its folder form starts with the folder', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', '/', '.'), maxLength: 8 });
    fc.assert(
      fc.property(bucketName, key, key, fc.boolean(), (bucket, inner, outer, sameBucket) => {
        const innerPath = { bucket, key: inner };
        const outerPath = { bucket: sameBucket ? bucket : `${bucket}x`, key: outer };
        const expected = sameBucket && asFolder(innerPath).key.startsWith(asFolder(outerPath).key);
        expect(isWithin(innerPath, outerPath)).toBe(expected);
        // A sibling that merely shares a prefix (`out` and `output`) is never inside.
        if (outer !== '' && !outer.endsWith('/')) expect(isWithin({ bucket, key: `${outer}x` }, { bucket, key: outer })).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
