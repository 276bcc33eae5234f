import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { policyDocument } from '../iam/policy';

export interface SecureBucketProps {
  readonly bucketName: string;
  readonly versioning: boolean;
  readonly forceDestroy: boolean;
}

/** Days after which S3 drops the parts of a multipart upload that never completed. */
const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;
/** With versioning on, how long an overwritten or deleted object's old version is kept. */
const NONCURRENT_VERSION_DAYS = 30;

/**
 * A private bucket: public access blocked, ACLs disabled, SSE-S3 encryption by default,
 * and a policy refusing any request that does not arrive over TLS.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy,
    });
    const bucket = this.bucket.id;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    if (props.versioning) {
      new S3BucketVersioningA(this, 'versioning', {
        bucket,
        versioningConfiguration: { status: 'Enabled' },
      });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [
            { daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS },
          ],
        },
        ...(props.versioning
          ? [
              {
                id: 'expire-noncurrent-versions',
                status: 'Enabled',
                filter: [{}],
                noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_DAYS }],
              },
            ]
          : []),
      ],
    });
    // The deny covers every S3 action on purpose: no request may use plain HTTP.
    new S3BucketPolicy(this, 'tls-only', {
      bucket,
      policy: policyDocument([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: { AWS: '*' },
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
      // S3 rejects a bucket policy while its public access block is being changed.
      dependsOn: [publicAccessBlock],
    });
  }
}
