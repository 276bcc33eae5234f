import { z } from 'zod';
import { UsageError } from '@wordbatch/errors';
import { batchResourceNames, DEFAULT_NAME_PREFIX, STAGE_NAMES, type StageName } from '@wordbatch/pipeline';

/** Where and how a run's jobs are submitted. */
export interface BatchTarget {
  readonly jobQueue: string;
  readonly jobDefinitions: Readonly<Record<StageName, string>>;
  /** Only for fair-share queues: SubmitJob refuses it elsewhere and requires it there. */
  readonly shareIdentifier?: string;
  /** The CloudWatch log group of the jobs (each stream starts with its stage name). */
  readonly logGroup: string;
}

/** The target as the user gave it: flags, and the infrastructure's outputs file. */
export interface TargetFlags {
  readonly queue?: string;
  readonly jobDefinitionPrefix?: string;
  readonly jobDefinitions: Partial<Record<StageName, string>>;
  readonly shareIdentifier?: string;
  /** `terraform output -json` of the infra stack, saved to a file. */
  readonly infraOutputs?: string;
}

const stringOutput = z.object({ value: z.string().min(1) });

/** The part of `terraform output -json` that the submitter reads (see infra/README.md). */
const infraOutputsSchema = z.object({
  job_queue: stringOutput,
  job_definition_names: z.object({ value: z.object({ plan: z.string().min(1), migrate: z.string().min(1), merge: z.string().min(1) }) }),
  log_group: stringOutput.optional(),
});

export type InfraOutputs = z.infer<typeof infraOutputsSchema>;

export function parseInfraOutputs(text: string, file: string): InfraOutputs {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--infra-outputs ${file} is not JSON: save it with \`terraform output -json > ${file}\``);
  }
  const parsed = infraOutputsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--infra-outputs ${file}: ${issue.path.join('.') || 'outputs'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Resolves queue and job definitions: a flag wins, then the infrastructure's outputs, then
 * the naming convention (`<prefix>-plan`, ...; a name without revision is the latest one).
 */
export function resolveTarget(flags: TargetFlags, outputs?: InfraOutputs): BatchTarget {
  const conventional = batchResourceNames(flags.jobDefinitionPrefix ?? DEFAULT_NAME_PREFIX);
  const jobQueue = flags.queue ?? outputs?.job_queue.value;
  if (jobQueue === undefined) {
    throw new UsageError('--queue is required (or --infra-outputs FILE, from `terraform output -json`)');
  }
  const fromOutputs = outputs?.job_definition_names.value;
  const jobDefinitions = Object.fromEntries(
    STAGE_NAMES.map((stage) => [stage, flags.jobDefinitions[stage] ?? fromOutputs?.[stage] ?? conventional.jobDefinitions[stage]]),
  ) as Record<StageName, string>;
  return {
    jobQueue,
    jobDefinitions,
    logGroup: outputs?.log_group?.value ?? conventional.logGroup,
    ...(flags.shareIdentifier === undefined ? {} : { shareIdentifier: flags.shareIdentifier }),
  };
}

/** Checks a --share-identifier: SubmitJob takes up to 255 characters, without the policy's `*` wildcard. */
export function parseShareIdentifier(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(value)) {
    throw new UsageError(`--share-identifier must be 1-255 letters, digits, - or _, got "${value}"`);
  }
  return value;
}
