import type { SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { StageError, UsageError } from '@wordbatch/errors';
import { batchJobName, stagesInDependencyOrder, type PipelineRun, type StageName } from '@wordbatch/pipeline';
import { MAX_SHARDS } from '@wordbatch/plan-schema';
import type { BatchApi } from './batch-api';
import type { BatchTarget } from './target';

/** Batch refuses SubmitJob payloads over 30 KiB; ours stay far below (the plan travels through S3). */
export const MAX_SUBMIT_PAYLOAD_BYTES = 24 * 1024;
/** SubmitJob's limit on dependencies per job. */
export const MAX_DEPENDENCIES = 20;

/** One SubmitJob request of a run, with its dependencies on the run's own stages still by name. */
export interface PlannedJob {
  readonly stage: StageName;
  readonly arraySize: number;
  /** The request, without `dependsOn` on stages of this run (their ids are not known yet). */
  readonly request: SubmitJobCommandInput;
  readonly dependsOnStages: readonly StageName[];
}

export interface SubmittedJob {
  readonly stage: StageName;
  readonly jobName: string;
  readonly jobId: string;
  readonly arraySize: number;
  readonly dependsOn: readonly string[];
}

/**
 * Turns a run description into SubmitJob requests: each stage's args become the container's
 * command, an array size of 1 a plain job (Batch arrays have 2 to 10,000 children), and
 * `externalDependencies` (job ids) are what the run's first stages wait for.
 */
export function planSubmission(run: PipelineRun, target: BatchTarget, externalDependencies: readonly string[] = []): PlannedJob[] {
  if (externalDependencies.length > MAX_DEPENDENCIES) {
    throw new UsageError(`--depends-on was given ${externalDependencies.length} times; AWS Batch allows ${MAX_DEPENDENCIES}`);
  }
  const inRun = new Set(run.stages.map((stage) => stage.stage));
  return stagesInDependencyOrder(run.stages).map((invocation) => {
    if (!Number.isSafeInteger(invocation.arraySize) || invocation.arraySize < 1 || invocation.arraySize > MAX_SHARDS) {
      throw new UsageError(`${invocation.stage} would have ${invocation.arraySize} children; AWS Batch allows 1 job or an array of 2-${MAX_SHARDS}`);
    }
    let jobName: string;
    try {
      jobName = batchJobName(run.name, invocation.stage);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const dependsOnStages = invocation.dependsOn.filter((stage) => inRun.has(stage));
    const external = dependsOnStages.length === 0 ? externalDependencies : [];
    const request: SubmitJobCommandInput = {
      jobName,
      jobQueue: target.jobQueue,
      jobDefinition: target.jobDefinitions[invocation.stage],
      containerOverrides: { command: [...invocation.args] },
      ...(invocation.arraySize > 1 ? { arrayProperties: { size: invocation.arraySize } } : {}),
      ...(external.length > 0 ? { dependsOn: external.map((jobId) => ({ jobId })) } : {}),
      ...(target.shareIdentifier === undefined ? {} : { shareIdentifier: target.shareIdentifier }),
    };
    const bytes = Buffer.byteLength(JSON.stringify(request));
    if (bytes > MAX_SUBMIT_PAYLOAD_BYTES) {
      throw new UsageError(
        `the ${invocation.stage} job's request would be ${bytes} bytes, over the ${MAX_SUBMIT_PAYLOAD_BYTES} this tool allows (AWS Batch: 30 KiB); pass fewer or shorter --include/--exclude patterns`,
      );
    }
    return { stage: invocation.stage, arraySize: invocation.arraySize, request, dependsOnStages };
  });
}

/** The request as it is sent once the ids of the stages it waits for are known. */
export function withStageDependencies(job: PlannedJob, jobIds: ReadonlyMap<StageName, string>): SubmitJobCommandInput {
  if (job.dependsOnStages.length === 0) return job.request;
  const dependsOn = job.dependsOnStages.map((stage) => {
    const jobId = jobIds.get(stage);
    if (jobId === undefined) throw new Error(`${job.stage} depends on ${stage}, which was not submitted first`);
    return { jobId };
  });
  return { ...job.request, dependsOn };
}

/** Submission stopped part-way: what was submitted must be named, or it runs unwatched. */
export class PartialSubmissionError extends StageError {
  override readonly name = 'PartialSubmissionError';
  constructor(
    readonly submitted: readonly SubmittedJob[],
    cause: StageError,
    failedStage: StageName,
  ) {
    const already = submitted.map((job) => `${job.stage} ${job.jobId}`).join(', ');
    super(
      `submitting ${failedStage} failed: ${cause.message}; already submitted: ${already} ` +
        `(cancel with \`aws batch terminate-job --reason retry --job-id ID\`, or submit the rest with \`wordbatch submit ${failedStage} … --depends-on ${submitted.at(-1)?.jobId}\`)`,
      cause.exitCode,
      { cause },
    );
  }
}

/** Submits every stage of a run at once, each depending on the jobs of the stages it waits for. */
export async function submitRun(
  run: PipelineRun,
  target: BatchTarget,
  api: BatchApi,
  externalDependencies: readonly string[] = [],
): Promise<SubmittedJob[]> {
  const planned = planSubmission(run, target, externalDependencies);
  const jobIds = new Map<StageName, string>();
  const submitted: SubmittedJob[] = [];
  for (const job of planned) {
    const request = withStageDependencies(job, jobIds);
    let jobId: string;
    try {
      jobId = await api.submitJob(request);
    } catch (error) {
      if (submitted.length > 0 && error instanceof StageError) throw new PartialSubmissionError(submitted, error, job.stage);
      throw error;
    }
    jobIds.set(job.stage, jobId);
    submitted.push({
      stage: job.stage,
      jobName: request.jobName ?? job.stage,
      jobId,
      arraySize: job.arraySize,
      dependsOn: (request.dependsOn ?? []).map((dependency) => dependency.jobId ?? ''),
    });
  }
  return submitted;
}
