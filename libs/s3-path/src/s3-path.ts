/** A parsed `s3://bucket/key` location. `key` is the literal object key or prefix (no URL decoding). */
export interface S3Path {
  readonly bucket: string;
  readonly key: string;
}

export class S3PathError extends Error {
  override readonly name = 'S3PathError';
}

const SCHEME = 's3://';
const MAX_KEY_BYTES = 1024;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Parses `s3://bucket[/key]`. The key is taken literally, like the AWS CLI does:
 * `s3://b/a%20b+c` names the key `a%20b+c`, not `a b c`.
 */
export function parseS3Path(uri: string): S3Path {
  if (!uri.startsWith(SCHEME)) {
    throw new S3PathError(`"${uri}" is not an S3 URI: expected s3://bucket/key`);
  }
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem) {
    throw new S3PathError(`"${uri}" has an invalid bucket name: ${bucketProblem}`);
  }
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new S3PathError(`"${uri}" has a key longer than ${MAX_KEY_BYTES} bytes`);
  }
  if (UNPAIRED_SURROGATE.test(key)) {
    // Only a JSON plan can carry one (argv is decoded from bytes): no S3 key is spelled so.
    throw new S3PathError(`"${uri}" has a key that is not valid Unicode (an unpaired surrogate)`);
  }
  return { bucket, key };
}

/** Prints a location back as `s3://bucket/key`; `parseS3Path(formatS3Path(p))` equals `p`. */
export function formatS3Path(path: S3Path): string {
  return `${SCHEME}${path.bucket}/${path.key}`;
}

/** The location as a folder: its key ends with `/` unless it is the bucket root. */
export function asFolder(path: S3Path): S3Path {
  if (path.key === '' || path.key.endsWith('/')) return path;
  return { bucket: path.bucket, key: `${path.key}/` };
}

/** A location below a folder; `name` may contain `/` and is appended as is. */
export function childPath(folder: S3Path, name: string): S3Path {
  return { bucket: folder.bucket, key: `${asFolder(folder).key}${name}` };
}

/**
 * The name of `key` relative to `folder`: only the leading prefix is removed, so a key
 * that repeats the prefix further on keeps it (`a/b/a/b.txt` under `a/b/` is `a/b.txt`).
 */
export function relativeName(folder: S3Path, key: string): string {
  const prefix = asFolder(folder).key;
  if (!key.startsWith(prefix)) {
    throw new S3PathError(`key "${key}" is not under ${formatS3Path(folder)}`);
  }
  return key.slice(prefix.length);
}

/** True when `inner` is `outer` itself or lies anywhere below it. */
export function isWithin(inner: S3Path, outer: S3Path): boolean {
  return inner.bucket === outer.bucket && asFolder(inner).key.startsWith(asFolder(outer).key);
}

/** Why `name` is not a valid S3 bucket name (general purpose bucket rules), or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the bucket name is empty';
  if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'use lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
  }
  if (name.includes('..')) return 'it must not contain two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'it must not look like an IP address';
  if (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) {
    return 'it uses a reserved prefix or suffix';
  }
  return undefined;
}
