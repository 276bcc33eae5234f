import { batchResourceNames, DEFAULT_NAME_PREFIX, STAGE_NAMES, type StageName } from '@wordbatch/pipeline';

/**
 * The names the stack gives its resources, derived from one name prefix. The queue, job
 * definitions and log group come from libs/pipeline's convention, the one the AWS Batch
 * submitter uses to find them (a job definition name without a revision resolves to its
 * latest active revision), so the two can never drift apart.
 */
export { DEFAULT_NAME_PREFIX };

export interface ResourceNames {
  readonly jobQueue: string;
  /** Job definition name per stage, e.g. `wordbatch-plan`. */
  readonly jobDefinitions: Readonly<Record<StageName, string>>;
  /** ECR repository name per stage: the same as the image name, e.g. `wordbatch-plan`. */
  readonly repositories: Readonly<Record<StageName, string>>;
  /** IAM role each stage's container runs as. */
  readonly jobRoles: Readonly<Record<StageName, string>>;
  readonly executionRole: string;
  /** Only created for EC2 and Spot compute environments. */
  readonly instanceRole: string;
  readonly logGroup: string;
  /** Compute environments are replaced create-before-destroy, so they get a name prefix. */
  readonly computeEnvironmentPrefix: string;
}

function perStage(name: (stage: StageName) => string): Record<StageName, string> {
  return Object.fromEntries(STAGE_NAMES.map((stage) => [stage, name(stage)])) as Record<
    StageName,
    string
  >;
}

export function resourceNames(prefix: string = DEFAULT_NAME_PREFIX): ResourceNames {
  const batch = batchResourceNames(prefix);
  return {
    jobQueue: batch.jobQueue,
    jobDefinitions: batch.jobDefinitions,
    repositories: perStage((stage) => `${prefix}-${stage}`),
    jobRoles: perStage((stage) => `${prefix}-${stage}-job`),
    executionRole: `${prefix}-execution`,
    instanceRole: `${prefix}-batch-instance`,
    logGroup: batch.logGroup,
    computeEnvironmentPrefix: `${prefix}-`,
  };
}

/**
 * Default bucket names: the account id and region make them globally unique without a
 * random suffix, so a user can guess them. Either can be overridden in the config.
 */
export function defaultBucketNames(
  prefix: string,
  accountId: string,
  region: string,
): { readonly source: string; readonly destination: string } {
  return {
    source: `${prefix}-src-${accountId}-${region}`,
    destination: `${prefix}-dst-${accountId}-${region}`,
  };
}
