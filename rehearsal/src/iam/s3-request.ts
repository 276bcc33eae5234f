/**
 * An S3 request (path-style, as wordbatch sends it to a custom endpoint) as IAM sees it:
 * the operation, the action it is authorized as, the resource ARN and the request's
 * condition keys. The table follows the Service Authorization Reference for S3
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html) and
 * "Required permissions for Amazon S3 API operations"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
 */
export interface S3Authorization {
  readonly operation: string;
  readonly action: string;
  readonly bucket: string;
  readonly key?: string;
  readonly resource: string;
  /** Condition keys of the request itself (global ones are added by the front). */
  readonly context: Readonly<Record<string, string>>;
}

interface Rule {
  readonly method: string;
  /** Whether the path names an object (bucket/key) or the bucket alone. */
  readonly object: boolean;
  /** Query parameters that must be present (a subresource such as ?uploads). */
  readonly query: readonly string[];
  readonly operation: string;
  readonly action: string;
}

// First match wins: the more specific (with a subresource) before the plain ones.
const RULES: readonly Rule[] = [
  { method: 'POST', object: true, query: ['uploads'], operation: 'CreateMultipartUpload', action: 's3:PutObject' },
  { method: 'PUT', object: true, query: ['partNumber', 'uploadId'], operation: 'UploadPart', action: 's3:PutObject' },
  { method: 'POST', object: true, query: ['uploadId'], operation: 'CompleteMultipartUpload', action: 's3:PutObject' },
  { method: 'DELETE', object: true, query: ['uploadId'], operation: 'AbortMultipartUpload', action: 's3:AbortMultipartUpload' },
  { method: 'GET', object: true, query: ['uploadId'], operation: 'ListParts', action: 's3:ListMultipartUploadParts' },
  // GetObject and HeadObject docs: a request naming a versionId needs s3:GetObjectVersion.
  { method: 'GET', object: true, query: ['versionId'], operation: 'GetObject', action: 's3:GetObjectVersion' },
  { method: 'HEAD', object: true, query: ['versionId'], operation: 'HeadObject', action: 's3:GetObjectVersion' },
  { method: 'GET', object: true, query: [], operation: 'GetObject', action: 's3:GetObject' },
  { method: 'HEAD', object: true, query: [], operation: 'HeadObject', action: 's3:GetObject' },
  { method: 'PUT', object: true, query: [], operation: 'PutObject', action: 's3:PutObject' },
  { method: 'DELETE', object: true, query: [], operation: 'DeleteObject', action: 's3:DeleteObject' },
  { method: 'GET', object: false, query: ['uploads'], operation: 'ListMultipartUploads', action: 's3:ListBucketMultipartUploads' },
  { method: 'GET', object: false, query: ['location'], operation: 'GetBucketLocation', action: 's3:GetBucketLocation' },
  { method: 'GET', object: false, query: ['versions'], operation: 'ListObjectVersions', action: 's3:ListBucketVersions' },
  { method: 'GET', object: false, query: ['list-type'], operation: 'ListObjectsV2', action: 's3:ListBucket' },
  { method: 'GET', object: false, query: [], operation: 'ListObjects', action: 's3:ListBucket' },
  { method: 'HEAD', object: false, query: [], operation: 'HeadBucket', action: 's3:ListBucket' },
  { method: 'PUT', object: false, query: [], operation: 'CreateBucket', action: 's3:CreateBucket' },
  { method: 'POST', object: false, query: ['delete'], operation: 'DeleteObjects', action: 's3:DeleteObject' },
];

/** Undefined for a request this table does not know: the front denies it. */
export function authorizationOf(method: string, rawUrl: string): S3Authorization | undefined {
  const url = new URL(rawUrl, 'http://s3.local');
  const [, bucket = '', ...keyParts] = url.pathname.split('/');
  if (bucket === '') return undefined;
  const key = keyParts.length > 0 && keyParts.join('/') !== '' ? decodeURIComponent(keyParts.join('/')) : undefined;
  const rule = RULES.find(
    (candidate) =>
      candidate.method === method.toUpperCase() && candidate.object === (key !== undefined) && candidate.query.every((name) => url.searchParams.has(name)),
  );
  if (rule === undefined) return undefined;
  const context: Record<string, string> = {};
  if (rule.action === 's3:ListBucket' && !rule.operation.startsWith('Head')) {
    // s3:prefix, s3:delimiter and s3:max-keys are set when the request carries them.
    for (const [parameter, conditionKey] of [
      ['prefix', 's3:prefix'],
      ['delimiter', 's3:delimiter'],
      ['max-keys', 's3:max-keys'],
    ] as const) {
      const value = url.searchParams.get(parameter);
      if (value !== null) context[conditionKey] = value;
    }
  }
  return {
    operation: rule.operation,
    action: rule.action,
    bucket: decodeURIComponent(bucket),
    ...(key === undefined ? {} : { key }),
    resource: key === undefined ? `arn:aws:s3:::${decodeURIComponent(bucket)}` : `arn:aws:s3:::${decodeURIComponent(bucket)}/${key}`,
    context,
  };
}
