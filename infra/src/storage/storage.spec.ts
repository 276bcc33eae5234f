import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { ref, synthStack, tempFolder } from '../testing/synth';
import { listDocuments } from './documents';

describe('buckets', () => {
  const tf = synthStack();
  const buckets = Object.entries(tf.resources('aws_s3_bucket'));

  it('creates a source and a destination bucket named after the prefix, account and region', () => {
    expect(buckets.map(([, bucket]) => bucket.bucket).sort()).toEqual([
      expect.stringMatching(/^wordbatch-dst-\$\{data\.aws_caller_identity\.\w+\.account_id\}-us-east-1$/),
      expect.stringMatching(/^wordbatch-src-\$\{data\.aws_caller_identity\.\w+\.account_id\}-us-east-1$/),
    ]);
    expect(tf.json).toHaveResourceWithProperties(S3Bucket, { force_destroy: false });
  });

  it.each(['source', 'destination'])('locks down the %s bucket', (kind) => {
    const [id] = buckets.find(([key]) => key.startsWith(`${kind}_`)) ?? [''];
    const bucketId = ref('aws_s3_bucket', id, 'id');
    const arn = ref('aws_s3_bucket', id, 'arn');
    expect(tf.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(tf.json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketId,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(tf.json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: bucketId,
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    const policy = Object.values(tf.resources('aws_s3_bucket_policy')).find((p) => p.bucket === bucketId);
    expect(JSON.parse(String(policy?.policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:*'],
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  it('leaves versioning off unless asked', () => {
    expect(tf.json).not.toHaveResource(S3BucketVersioningA);
    const versioned = synthStack({ buckets: { versioning: true } });
    expect(Object.values(versioned.resources('aws_s3_bucket_versioning'))).toHaveLength(2);
    expect(versioned.json).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('takes explicit bucket names', () => {
    const named = synthStack({ buckets: { sourceName: 'my-corpus', destinationName: 'my-results' } });
    expect(named.json).toHaveResourceWithProperties(S3Bucket, { bucket: 'my-corpus' });
    expect(named.json).toHaveResourceWithProperties(S3Bucket, { bucket: 'my-results' });
  });
});

describe('sample documents', () => {
  const documents = tempFolder({
    'alice.txt': 'Alice was beginning to get very tired',
    'poems/the raven.txt': 'Once upon a midnight dreary',
    'poems/notes.md': '# notes',
    '.DS_Store': 'ignored',
  });

  it('lists files in subfolders and with spaces, skipping hidden ones', () => {
    expect(listDocuments(documents)).toEqual([
      { relativePath: 'alice.txt', contentType: 'text/plain; charset=utf-8' },
      { relativePath: 'poems/notes.md', contentType: 'text/markdown; charset=utf-8' },
      { relativePath: 'poems/the raven.txt', contentType: 'text/plain; charset=utf-8' },
    ]);
    expect(listDocuments(`${documents}/missing`)).toEqual([]);
  });

  it('uploads each file to the source bucket under documents/', () => {
    const tf = synthStack({}, documents);
    const [sourceId] = Object.keys(tf.resources('aws_s3_bucket')).filter((id) => id.startsWith('source_'));
    const [upload] = Object.values(tf.resources('aws_s3_object'));
    expect(upload.bucket).toBe(ref('aws_s3_bucket', sourceId, 'id'));
    expect(Object.keys(upload.for_each as object)).toEqual([
      'documents/alice.txt',
      'documents/poems/notes.md',
      'documents/poems/the raven.txt',
    ]);
    expect(upload.key).toBe('${each.key}');
    expect(upload.source).toMatch(/^assets\/.+\/\$\{each\.value\.file\}$/);
    expect(upload.source_hash).toBe(`\${filemd5("${String(upload.source)}")}`);
  });

  it('can be switched off', () => {
    const tf = synthStack({ documents: { upload: false } }, documents);
    expect(tf.json).not.toHaveResource(S3Object);
  });
});
