import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { BatchJobDefinition } from '@cdktf/provider-aws/lib/batch-job-definition';
import { BatchJobQueue } from '@cdktf/provider-aws/lib/batch-job-queue';
import { STAGE_NAMES, type StageName } from '@wordbatch/pipeline';
import { Construct } from 'constructs';
import type { WordbatchConfig } from '../config/schema';
import type { ResourceNames } from '../naming';
import type { JobNetwork } from '../network/network';
import { containerProperties } from './job-definition';
import { retryStrategy } from './retry';

export interface BatchProps {
  readonly config: WordbatchConfig;
  readonly names: ResourceNames;
  readonly network: JobNetwork;
  /** Image reference (repository URL and tag) per stage. */
  readonly images: Readonly<Record<StageName, string>>;
  readonly jobRoleArns: Readonly<Record<StageName, string>>;
  readonly executionRoleArn: string;
  readonly instanceProfileArn?: string;
  readonly logGroupName: string;
}

function computeResources(props: BatchProps) {
  const { config, network } = props;
  const placement = { subnets: network.subnetIds, securityGroupIds: network.securityGroupIds };
  if (config.computeType === 'fargate') {
    return { type: 'FARGATE', maxVcpus: config.maxVcpus, ...placement };
  }
  if (!props.instanceProfileArn) {
    throw new Error(`computeType ${config.computeType} needs an instance profile`);
  }
  return {
    type: config.computeType === 'spot' ? 'SPOT' : 'EC2',
    // Price-capacity-optimized Spot needs no Spot Fleet role; both scale to zero when idle.
    allocationStrategy:
      config.computeType === 'spot' ? 'SPOT_PRICE_CAPACITY_OPTIMIZED' : 'BEST_FIT_PROGRESSIVE',
    minVcpus: 0,
    maxVcpus: config.maxVcpus,
    instanceType: config.instanceTypes,
    instanceRole: props.instanceProfileArn,
    ec2Configuration: [{ imageType: 'ECS_AL2023' }],
    ...placement,
  };
}

/** A compute environment, the queue in front of it, and one job definition per stage. */
export class Batch extends Construct {
  readonly queue: BatchJobQueue;
  readonly jobDefinitions: Readonly<Record<StageName, BatchJobDefinition>>;

  constructor(scope: Construct, id: string, props: BatchProps) {
    super(scope, id);
    const { config, names } = props;
    const fargate = config.computeType === 'fargate';

    // Changing the compute type replaces the environment; the queue must never be left
    // without one, hence a generated name and create-before-destroy.
    const computeEnvironment = new BatchComputeEnvironment(this, 'compute', {
      namePrefix: names.computeEnvironmentPrefix,
      type: 'MANAGED',
      state: 'ENABLED',
      computeResources: computeResources(props),
      lifecycle: { createBeforeDestroy: true },
    });

    this.queue = new BatchJobQueue(this, 'queue', {
      name: names.jobQueue,
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: computeEnvironment.arn }],
    });

    const retry = retryStrategy(config.retryAttempts);
    const jobDefinitions = {} as Record<StageName, BatchJobDefinition>;
    for (const stage of STAGE_NAMES) {
      const settings = config.stages[stage];
      jobDefinitions[stage] = new BatchJobDefinition(this, `${stage}-job`, {
        name: names.jobDefinitions[stage],
        type: 'container',
        platformCapabilities: [fargate ? 'FARGATE' : 'EC2'],
        propagateTags: true,
        containerProperties: JSON.stringify(
          containerProperties({
            stage,
            image: props.images[stage],
            settings,
            jobRoleArn: props.jobRoleArns[stage],
            executionRoleArn: props.executionRoleArn,
            logGroupName: props.logGroupName,
            region: config.region,
            fargate,
            cpuArchitecture: config.cpuArchitecture,
          }),
        ),
        timeout: { attemptDurationSeconds: settings.timeoutSeconds },
        retryStrategy: {
          attempts: retry.attempts,
          evaluateOnExit: retry.evaluateOnExit.map((rule) => ({ ...rule })),
        },
      });
    }
    this.jobDefinitions = jobDefinitions;
  }
}
