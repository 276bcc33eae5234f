import { STAGE_NAMES, type StageName } from './stages';

/**
 * The naming convention shared by the infrastructure (infra/src/naming.ts builds on it) and
 * the submitter: a stack deployed with name prefix P has the queue `P-queue`, the job
 * definitions `P-plan`, `P-migrate`, `P-merge` and the log group `/aws/batch/P`, where each
 * job's log stream starts with its stage name.
 */
export const DEFAULT_NAME_PREFIX = 'wordbatch';

export interface BatchResourceNames {
  readonly jobQueue: string;
  readonly jobDefinitions: Readonly<Record<StageName, string>>;
  readonly logGroup: string;
}

export function batchResourceNames(prefix: string = DEFAULT_NAME_PREFIX): BatchResourceNames {
  return {
    jobQueue: `${prefix}-queue`,
    jobDefinitions: Object.fromEntries(STAGE_NAMES.map((stage) => [stage, `${prefix}-${stage}`])) as Record<StageName, string>,
    logGroup: `/aws/batch/${prefix}`,
  };
}

/** SubmitJob's rule for job names. */
export const MAX_JOB_NAME_LENGTH = 128;
const JOB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const STAGE_SUFFIX = new RegExp(`^(.+)-(${STAGE_NAMES.join('|')})$`);

/** The Batch job name of a stage of a run: `<run>-<stage>`, checked against SubmitJob's rules. */
export function batchJobName(runName: string, stage: StageName): string {
  const name = `${runName}-${stage}`;
  if (name.length > MAX_JOB_NAME_LENGTH || !JOB_NAME_PATTERN.test(name)) {
    throw new RangeError(
      `job name "${name}" must be at most ${MAX_JOB_NAME_LENGTH} letters, digits, - or _, starting with a letter or digit`,
    );
  }
  return name;
}

/** The run and stage of a job name made by batchJobName, or undefined for any other name. */
export function parseBatchJobName(jobName: string): { readonly runName: string; readonly stage: StageName } | undefined {
  const match = STAGE_SUFFIX.exec(jobName);
  return match ? { runName: match[1], stage: match[2] as StageName } : undefined;
}

/** The stage a job definition serves, from its name (`P-migrate`, `P-migrate:3` or its ARN). */
export function stageOfJobDefinition(jobDefinition: string): StageName | undefined {
  const name = jobDefinition.split('/').at(-1)?.split(':')[0] ?? '';
  return STAGE_NAMES.find((stage) => name.endsWith(`-${stage}`) || name === stage);
}
