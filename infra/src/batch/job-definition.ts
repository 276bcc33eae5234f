import type { StageName } from '@wordbatch/pipeline';
import type { StageSettings } from '../config/schema';

export interface ContainerPropertiesInput {
  readonly stage: StageName;
  readonly image: string;
  readonly settings: StageSettings;
  readonly jobRoleArn: string;
  readonly executionRoleArn: string;
  readonly logGroupName: string;
  readonly region: string;
  readonly fargate: boolean;
  readonly cpuArchitecture: 'X86_64' | 'ARM64';
}

/**
 * The containerProperties of a stage's job definition (Batch takes them as JSON).
 *
 * The root filesystem is read-only and nothing is writable: the stages keep their data in
 * memory and in S3 and never write a file (neither they nor Node nor the libraries they
 * bundle use a temporary directory), so a write anywhere is a bug or an intrusion. There is
 * no scratch volume: Fargate supports neither tmpfs nor host paths, and the volume it does
 * offer (a bind mount without a host path) is created owned by root with mode 0755, which
 * the images' user 65532 cannot write to anyway
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html). The
 * rehearsal runs the images this way. The init process reaps zombies and forwards SIGTERM,
 * which Node as PID 1 does not do well.
 */
export function containerProperties(input: ContainerPropertiesInput): Record<string, unknown> {
  return {
    image: input.image,
    jobRoleArn: input.jobRoleArn,
    executionRoleArn: input.executionRoleArn,
    resourceRequirements: [
      { type: 'VCPU', value: String(input.settings.vcpus) },
      { type: 'MEMORY', value: String(input.settings.memoryMiB) },
    ],
    // The SDK reads its region from the standard variable, as everywhere else.
    environment: [{ name: 'AWS_REGION', value: input.region }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': input.logGroupName,
        'awslogs-region': input.region,
        'awslogs-stream-prefix': input.stage,
      },
    },
    linuxParameters: { initProcessEnabled: true },
    readonlyRootFilesystem: true,
    ...(input.fargate
      ? {
          fargatePlatformConfiguration: { platformVersion: 'LATEST' },
          networkConfiguration: { assignPublicIp: 'DISABLED' },
          runtimePlatform: {
            operatingSystemFamily: 'LINUX',
            cpuArchitecture: input.cpuArchitecture,
          },
        }
      : {}),
  };
}
