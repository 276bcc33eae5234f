import { STAGE_NAMES, STAGES, type StageName } from '@wordbatch/pipeline';
import { z } from 'zod';
import { DEFAULT_NAME_PREFIX } from '../naming';
import { describeFargateMemory, FARGATE_VCPUS, fargateMemoryOptions } from './fargate';

export const COMPUTE_TYPES = ['fargate', 'ec2', 'spot'] as const;
export type ComputeType = (typeof COMPUTE_TYPES)[number];

/** The only values CloudWatch Logs accepts for a retention period. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
] as const;

// Long enough for "<prefix>-dst-<12-digit account>-<region>" to stay within S3's 63 characters.
const namePrefix = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/,
    'must be 3 to 24 characters of a-z, 0-9 and "-", starting with a letter',
  );

const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'must be a valid S3 bucket name (3 to 63 characters of a-z, 0-9, "." and "-")',
  );

// A key prefix the IAM policies scope to, so it must be a plain folder: "plans/", "a/b/".
const keyPrefix = z
  .string()
  .regex(
    /^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*\/$/,
    'must be a folder like "plans/": no leading "/", no "*", ending with "/"',
  );

const stageSizing = z.strictObject({
  vcpus: z.number().positive().optional(),
  memoryMiB: z.number().int().positive().optional(),
  timeoutSeconds: z
    .number()
    .int()
    .min(60, 'must be at least 60 (an AWS Batch minimum)')
    .optional(),
});

const nonEmptyList = z.array(z.string().min(1)).min(1);

export const configSchema = z
  .strictObject({
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'must be an AWS region like "eu-west-1"')
      .default('us-east-1'),
    namePrefix: namePrefix.default(DEFAULT_NAME_PREFIX),
    computeType: z.enum(COMPUTE_TYPES).default('fargate'),
    maxVcpus: z.number().int().min(1).max(100_000).default(32),
    /** EC2 and Spot only; "optimal" lets Batch choose from the C, M and R families. */
    instanceTypes: nonEmptyList.default(['optimal']),
    cpuArchitecture: z.enum(['X86_64', 'ARM64']).default('X86_64'),
    stages: z
      .strictObject({
        plan: stageSizing.optional(),
        migrate: stageSizing.optional(),
        merge: stageSizing.optional(),
      })
      .prefault({}),
    retryAttempts: z.number().int().min(1).max(10).default(3),
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
    imageTag: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a valid image tag')
      .default('latest'),
    ecrKeepImages: z.number().int().min(1).max(1000).default(10),
    buckets: z
      .strictObject({
        sourceName: bucketName.optional(),
        destinationName: bucketName.optional(),
        versioning: z.boolean().default(false),
        /** Lets `cdktf destroy` delete buckets and repositories that still hold objects. */
        forceDestroy: z.boolean().default(false),
        plansPrefix: keyPrefix.default('plans/'),
        resultsPrefix: keyPrefix.default('out/'),
        /** Where plan may read `--manifest` (an S3 Inventory report) and `--keys` lists from. */
        inputsPrefix: keyPrefix.default('inputs/'),
      })
      .prefault({}),
    documents: z
      .strictObject({
        upload: z.boolean().default(true),
        /** Relative to the directory the config file is in (infra/). */
        path: z.string().min(1).default('../documents'),
        keyPrefix: keyPrefix.default('documents/'),
      })
      .prefault({}),
    network: z
      .strictObject({
        vpcCidr: z
          .string()
          .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'must be an IPv4 CIDR from /16 to /24')
          .default('10.42.0.0/16'),
        availabilityZones: z.number().int().min(1).max(6).default(2),
        subnetIds: nonEmptyList.optional(),
        securityGroupIds: nonEmptyList.optional(),
      })
      .prefault({}),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((config, ctx) => {
    // Each stage's permissions are scoped to one of these prefixes, so none may contain another.
    const { plansPrefix, resultsPrefix, inputsPrefix } = config.buckets;
    const prefixes = [
      ['plansPrefix', plansPrefix],
      ['resultsPrefix', resultsPrefix],
      ['inputsPrefix', inputsPrefix],
    ] as const;
    prefixes.forEach(([name, prefix], index) => {
      for (const [earlierName, earlier] of prefixes.slice(0, index)) {
        if (prefix.startsWith(earlier) || earlier.startsWith(prefix)) {
          ctx.addIssue({
            code: 'custom',
            path: ['buckets', name],
            message: `must not overlap buckets.${earlierName} ("${earlier}"): each stage's permissions are scoped to one of them`,
          });
        }
      }
    });
    const { subnetIds, securityGroupIds } = config.network;
    if ((subnetIds === undefined) !== (securityGroupIds === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', subnetIds === undefined ? 'subnetIds' : 'securityGroupIds'],
        message: 'give both network.subnetIds and network.securityGroupIds, or neither',
      });
    }
    if (config.computeType !== 'fargate' && config.cpuArchitecture === 'ARM64') {
      if (config.instanceTypes.includes('optimal')) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceTypes'],
          message: '"optimal" is x86 only: list Graviton instance types (e.g. "m7g") for ARM64',
        });
      }
    }
    for (const stage of STAGE_NAMES) {
      checkStageSizing(config, stage, ctx);
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
type ParsedConfig = z.output<typeof configSchema>;

function checkStageSizing(config: ParsedConfig, stage: StageName, ctx: z.RefinementCtx): void {
  const { vcpus, memoryMiB } = stageSettings(config, stage);
  const path = ['stages', stage];
  if (vcpus > config.maxVcpus) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'vcpus'],
      message: `${vcpus} exceeds maxVcpus (${config.maxVcpus}): the job would never leave RUNNABLE`,
    });
  }
  if (config.computeType !== 'fargate') {
    if (!Number.isInteger(vcpus)) {
      ctx.addIssue({ code: 'custom', path: [...path, 'vcpus'], message: 'must be a whole number on EC2' });
    }
    return;
  }
  if (!FARGATE_VCPUS.includes(vcpus)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'vcpus'],
      message: `${vcpus} is not a Fargate size: use one of ${FARGATE_VCPUS.join(', ')}`,
    });
  } else if (!fargateMemoryOptions(vcpus).includes(memoryMiB)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'memoryMiB'],
      message: `${memoryMiB} MiB is not valid on Fargate with ${vcpus} vCPU: use ${describeFargateMemory(vcpus)}`,
    });
  }
}

export interface StageSettings {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
}

/** The validated configuration, with every stage's sizing resolved against the catalog. */
export type WordbatchConfig = Omit<ParsedConfig, 'stages'> & {
  readonly stages: Readonly<Record<StageName, StageSettings>>;
};

/** A stage's sizing: the config's override where given, else the stage catalog's default. */
function stageSettings(config: ParsedConfig, stage: StageName): StageSettings {
  const override = config.stages[stage];
  const defaults = STAGES[stage];
  return {
    vcpus: override?.vcpus ?? defaults.vcpus,
    memoryMiB: override?.memoryMiB ?? defaults.memoryMiB,
    timeoutSeconds: override?.timeoutSeconds ?? defaults.timeoutSeconds,
  };
}

export function resolveStages(parsed: ParsedConfig): WordbatchConfig {
  const stages = Object.fromEntries(
    STAGE_NAMES.map((stage) => [stage, stageSettings(parsed, stage)]),
  ) as Record<StageName, StageSettings>;
  return { ...parsed, stages };
}
