import { UsageError } from '@wordbatch/errors';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * Why the stages refuse to write at `key`, or undefined. S3 itself takes a `.` or `..`
 * segment literally, but HTTP clients, proxies and S3-compatible servers that resolve
 * dot segments (s3rver does, on its file system) would write somewhere else: a result must
 * land exactly at the key its layout names, so such keys are never written.
 */
export function unwritableKeyProblem(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) return `the key is ${bytes} bytes long, over S3's ${MAX_KEY_BYTES}`;
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'the key has a "." or ".." segment, which some clients and servers resolve to another key';
  }
  if (UNPAIRED_SURROGATE.test(key)) return 'the key is not valid Unicode (an unpaired surrogate)';
  return undefined;
}

/** Throws a usage error (exit 2) naming the object when the stages must not write there. */
export function assertWritableKey(path: S3Path): void {
  const problem = unwritableKeyProblem(path.key);
  if (problem !== undefined) {
    throw new UsageError(`refusing to write ${formatS3Path(path)}: ${problem}`);
  }
}

/**
 * A key or prefix from a listing made with `encoding-type=url`: S3 then escapes every key
 * (so keys holding characters XML cannot carry, like CR, survive) and says so in the answer.
 */
export function decodeListedKey(text: string, encodingType: string | undefined): string {
  return encodingType === 'url' ? decodeUrlEncodedKey(text) : text;
}

/**
 * A key as S3 URL-encodes it: in `encoding-type=url` listings, S3 Inventory CSV reports and
 * S3 Batch Operations CSV manifests alike (form encoding: `+` is a space, `%2B` a plus).
 * Throws URIError on a malformed escape.
 */
export function decodeUrlEncodedKey(text: string): string {
  if (!text.includes('+')) return decodeURIComponent(text);
  return decodeURIComponent(text.replace(/\+/g, ' '));
}
