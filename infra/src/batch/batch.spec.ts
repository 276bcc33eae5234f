import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { BatchJobDefinition } from '@cdktf/provider-aws/lib/batch-job-definition';
import { BatchJobQueue } from '@cdktf/provider-aws/lib/batch-job-queue';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { STAGE_NAMES, STAGES } from '@wordbatch/pipeline';
import { type Block, ref, synthStack, type Synthesized } from '../testing/synth';

function containerOf(jobDefinition: Block): Record<string, unknown> {
  return JSON.parse(String(jobDefinition.container_properties)) as Record<string, unknown>;
}

function jobDefinition(tf: Synthesized, name: string): Block {
  return tf.find('aws_batch_job_definition', 'name', name).body;
}

describe('AWS Batch on Fargate (the default)', () => {
  const tf = synthStack();
  const repositoryUrl = (name: string) =>
    ref('aws_ecr_repository', tf.find('aws_ecr_repository', 'name', name).id, 'repository_url');
  const roleArn = (name: string) => ref('aws_iam_role', tf.find('aws_iam_role', 'name', name).id, 'arn');

  it('defines exactly one job definition per stage', () => {
    expect(
      Object.values(tf.resources('aws_batch_job_definition'))
        .map((definition) => definition.name)
        .sort(),
    ).toEqual(['wordbatch-merge', 'wordbatch-migrate', 'wordbatch-plan']);
  });

  it.each(STAGE_NAMES)('runs %s from its own image, as its own role, sized from the catalog', (stage) => {
    const definition = jobDefinition(tf, `wordbatch-${stage}`);
    const container = containerOf(definition);
    expect(container.image).toBe(`${repositoryUrl(`wordbatch-${stage}`)}:latest`);
    expect(container.jobRoleArn).toBe(roleArn(`wordbatch-${stage}-job`));
    expect(container.executionRoleArn).toBe(roleArn('wordbatch-execution'));
    expect(container.resourceRequirements).toEqual([
      { type: 'VCPU', value: String(STAGES[stage].vcpus) },
      { type: 'MEMORY', value: String(STAGES[stage].memoryMiB) },
    ]);
    expect(definition.timeout).toEqual({ attempt_duration_seconds: STAGES[stage].timeoutSeconds });
    expect(definition.platform_capabilities).toEqual(['FARGATE']);
  });

  it.each(STAGE_NAMES)('retries %s only on exit code 75 and lost hosts', (stage) => {
    expect(tf.json).toHaveResourceWithProperties(BatchJobDefinition, {
      name: `wordbatch-${stage}`,
      retry_strategy: {
        attempts: 3,
        evaluate_on_exit: [
          { action: 'RETRY', on_status_reason: 'Host EC2*' },
          { action: 'RETRY', on_status_reason: 'Task failed to start' },
          { action: 'RETRY', on_exit_code: '75' },
          { action: 'EXIT', on_exit_code: '*' },
          { action: 'EXIT', on_reason: '*' },
        ],
      },
    });
  });

  it.each(STAGE_NAMES)('hardens the %s container and ships its logs', (stage) => {
    const container = containerOf(jobDefinition(tf, `wordbatch-${stage}`));
    const [logGroupId] = Object.keys(tf.resources('aws_cloudwatch_log_group'));
    expect(container).toMatchObject({
      readonlyRootFilesystem: true,
      linuxParameters: { initProcessEnabled: true },
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': ref('aws_cloudwatch_log_group', logGroupId, 'name'),
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': stage,
        },
      },
      networkConfiguration: { assignPublicIp: 'DISABLED' },
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    });
  });

  it.each(STAGE_NAMES)('gives the %s container no volume: a Fargate bind mount is root-owned 0755, unwritable for uid 65532', (stage) => {
    const container = containerOf(jobDefinition(tf, `wordbatch-${stage}`));
    expect(container).not.toHaveProperty('volumes');
    expect(container).not.toHaveProperty('mountPoints');
  });

  it('keeps logs for the retention period', () => {
    expect(tf.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/batch/wordbatch',
      retention_in_days: 30,
    });
  });

  it('puts a queue in front of a Fargate compute environment', () => {
    const [computeId] = Object.keys(tf.resources('aws_batch_compute_environment'));
    expect(tf.json).toHaveResourceWithProperties(BatchComputeEnvironment, {
      name_prefix: 'wordbatch-',
      type: 'MANAGED',
      compute_resources: expect.objectContaining({ type: 'FARGATE', max_vcpus: 32 }),
      lifecycle: { create_before_destroy: true },
    });
    expect(tf.json).toHaveResourceWithProperties(BatchJobQueue, {
      name: 'wordbatch-queue',
      state: 'ENABLED',
      compute_environment_order: [
        { order: 1, compute_environment: ref('aws_batch_compute_environment', computeId, 'arn') },
      ],
    });
  });

  it('gives each stage a private repository, scanned on push, keeping the last 10 images', () => {
    for (const stage of STAGE_NAMES) {
      const repository = tf.find('aws_ecr_repository', 'name', `wordbatch-${stage}`);
      expect(repository.body.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(tf.json).toHaveResourceWithProperties(EcrLifecyclePolicy, {
        repository: ref('aws_ecr_repository', repository.id, 'name'),
      });
    }
    for (const lifecycle of Object.values(tf.resources('aws_ecr_lifecycle_policy'))) {
      const [rule] = (JSON.parse(String(lifecycle.policy)) as { rules: Block[] }).rules;
      expect(rule).toMatchObject({
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      });
    }
  });

  it('outputs what a user needs to push images and submit jobs', () => {
    expect(Object.keys(tf.outputs()).sort()).toEqual([
      'destination_bucket',
      'documents_prefix',
      'ecr_repository_urls',
      'job_definition_arns',
      'job_definition_names',
      'job_queue',
      'log_group',
      'region',
      'source_bucket',
    ]);
    expect(tf.outputs().ecr_repository_urls.value).toEqual({
      plan: repositoryUrl('wordbatch-plan'),
      migrate: repositoryUrl('wordbatch-migrate'),
      merge: repositoryUrl('wordbatch-merge'),
    });
  });
});

describe('AWS Batch, configured', () => {
  it('applies per-stage sizing, image tag, attempts and retention', () => {
    const tf = synthStack({
      imageTag: 'v1.2.3',
      retryAttempts: 5,
      logRetentionDays: 7,
      stages: { migrate: { vcpus: 4, memoryMiB: 16384, timeoutSeconds: 600 } },
    });
    const migrate = jobDefinition(tf, 'wordbatch-migrate');
    expect(containerOf(migrate)).toMatchObject({
      image: expect.stringMatching(/repository_url\}:v1\.2\.3$/),
      resourceRequirements: [
        { type: 'VCPU', value: '4' },
        { type: 'MEMORY', value: '16384' },
      ],
    });
    expect(migrate.timeout).toEqual({ attempt_duration_seconds: 600 });
    expect(migrate.retry_strategy).toMatchObject({ attempts: 5 });
    expect(tf.json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 7 });
  });

  it.each([
    ['ec2', 'EC2', 'BEST_FIT_PROGRESSIVE'],
    ['spot', 'SPOT', 'SPOT_PRICE_CAPACITY_OPTIMIZED'],
  ] as const)('runs on %s hosts with an instance profile', (computeType, type, allocationStrategy) => {
    const tf = synthStack({ computeType, maxVcpus: 256, instanceTypes: ['c7i', 'm7i'] });
    const [profileId] = Object.keys(tf.resources('aws_iam_instance_profile'));
    expect(tf.json).toHaveResourceWithProperties(BatchComputeEnvironment, {
      compute_resources: expect.objectContaining({
        type,
        allocation_strategy: allocationStrategy,
        min_vcpus: 0,
        max_vcpus: 256,
        instance_type: ['c7i', 'm7i'],
        instance_role: ref('aws_iam_instance_profile', profileId, 'arn'),
        ec2_configuration: [{ image_type: 'ECS_AL2023' }],
      }),
    });
    for (const stage of STAGE_NAMES) {
      const definition = jobDefinition(tf, `wordbatch-${stage}`);
      expect(definition.platform_capabilities).toEqual(['EC2']);
      const container = containerOf(definition);
      expect(container.readonlyRootFilesystem).toBe(true);
      expect(container).not.toHaveProperty('fargatePlatformConfiguration');
      expect(container).not.toHaveProperty('networkConfiguration');
    }
  });
});
