import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { STAGE_NAMES, type StageName } from '@wordbatch/pipeline';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { Batch } from './batch/batch';
import type { WordbatchConfig } from './config/schema';
import { Roles } from './iam/roles';
import { defaultBucketNames, resourceNames } from './naming';
import { type JobNetwork, PrivateNetwork } from './network/network';
import { Registry } from './registry/registry';
import { DocumentUpload, listDocuments } from './storage/documents';
import { SecureBucket } from './storage/secure-bucket';

export interface WordbatchStackProps {
  readonly config: WordbatchConfig;
  /** Absolute path of the sample documents to upload (when config.documents.upload). */
  readonly documentsDir: string;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function perStage<T>(value: (stage: StageName) => T): Record<StageName, T> {
  return Object.fromEntries(STAGE_NAMES.map((stage) => [stage, value(stage)])) as Record<
    StageName,
    T
  >;
}

/** Everything a wordbatch run on AWS Batch needs, in one deployable stack. */
export class WordbatchStack extends TerraformStack {
  /** How many sample documents the stack uploads. */
  readonly uploadedDocuments: number;

  constructor(scope: Construct, id: string, { config, documentsDir }: WordbatchStackProps) {
    super(scope, id);
    const names = resourceNames(config.namePrefix);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [
        { tags: { Project: 'wordbatch', ManagedBy: 'cdktf', Stack: id, ...config.tags } },
      ],
    });
    const accountId = new DataAwsCallerIdentity(this, 'caller').accountId;

    const defaultBuckets = defaultBucketNames(config.namePrefix, accountId, config.region);
    const bucketOptions = { versioning: config.buckets.versioning, forceDestroy: config.buckets.forceDestroy };
    const source = new SecureBucket(this, 'source', {
      bucketName: config.buckets.sourceName ?? defaultBuckets.source,
      ...bucketOptions,
    }).bucket;
    const destination = new SecureBucket(this, 'destination', {
      bucketName: config.buckets.destinationName ?? defaultBuckets.destination,
      ...bucketOptions,
    }).bucket;

    const documents = config.documents.upload ? listDocuments(documentsDir) : [];
    if (documents.length > 0) {
      new DocumentUpload(this, 'documents', {
        dir: documentsDir,
        files: documents,
        bucket: source.id,
        keyPrefix: config.documents.keyPrefix,
      });
    }
    this.uploadedDocuments = documents.length;

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: names.logGroup,
      retentionInDays: config.logRetentionDays,
    });
    const registry = new Registry(this, 'registry', {
      repositoryNames: names.repositories,
      keepImages: config.ecrKeepImages,
      forceDelete: config.buckets.forceDestroy,
    });
    const repositories = registry.repositories;

    const needsInstanceRole = config.computeType !== 'fargate';
    const roles = new Roles(this, 'roles', {
      names,
      accountId,
      partition: partitionOf(config.region),
      buckets: { source: source.arn, destination: destination.arn },
      prefixes: { plans: config.buckets.plansPrefix, results: config.buckets.resultsPrefix, inputs: config.buckets.inputsPrefix },
      execution: {
        repositoryArns: STAGE_NAMES.map((stage) => repositories[stage].arn),
        logGroupArn: logGroup.arn,
      },
      needsInstanceRole,
    });

    const { subnetIds, securityGroupIds } = config.network;
    const network: JobNetwork =
      subnetIds && securityGroupIds
        ? { subnetIds, securityGroupIds }
        : new PrivateNetwork(this, 'network', {
            namePrefix: config.namePrefix,
            region: config.region,
            cidr: config.network.vpcCidr,
            availabilityZones: config.network.availabilityZones,
            ec2Hosts: needsInstanceRole,
          }).network;

    const batch = new Batch(this, 'batch', {
      config,
      names,
      network,
      images: perStage((stage) => `${repositories[stage].repositoryUrl}:${config.imageTag}`),
      jobRoleArns: perStage((stage) => roles.jobRoles[stage].arn),
      executionRoleArn: roles.executionRole.arn,
      instanceProfileArn: roles.instanceProfileArn,
      logGroupName: logGroup.name,
    });

    new TerraformOutput(this, 'region', { value: config.region });
    new TerraformOutput(this, 'source_bucket', { value: source.bucket });
    new TerraformOutput(this, 'destination_bucket', { value: destination.bucket });
    new TerraformOutput(this, 'job_queue', { value: batch.queue.name });
    new TerraformOutput(this, 'job_definition_names', {
      value: perStage((stage) => batch.jobDefinitions[stage].name),
    });
    new TerraformOutput(this, 'job_definition_arns', {
      value: perStage((stage) => batch.jobDefinitions[stage].arn),
    });
    new TerraformOutput(this, 'ecr_repository_urls', {
      value: perStage((stage) => repositories[stage].repositoryUrl),
    });
    new TerraformOutput(this, 'log_group', { value: logGroup.name });
    new TerraformOutput(this, 'documents_prefix', {
      value: `s3://${source.bucket}/${config.documents.keyPrefix}`,
    });
  }
}
