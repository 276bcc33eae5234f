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

/** The one writable path in a stage's container. */
export const SCRATCH_PATH = '/tmp';

/**
 * The containerProperties of a stage's job definition (Batch takes them as JSON).
 *
 * The root filesystem is read-only: the stages keep their data in memory and in S3, so a
 * write anywhere else is a bug or an intrusion. A scratch volume at /tmp stays writable for
 * what Node or a library may put there; it is an unnamed-host volume because Fargate
 * supports neither tmpfs nor host paths. The init process reaps zombies and forwards
 * SIGTERM, which Node as PID 1 does not do well.
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
    volumes: [{ name: 'scratch' }],
    mountPoints: [{ sourceVolume: 'scratch', containerPath: SCRATCH_PATH, readOnly: false }],
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
