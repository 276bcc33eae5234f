import type { JobDetail, JobStatus } from '@aws-sdk/client-batch';
import { UsageError } from '@wordbatch/errors';
import { parseBatchJobName, stageOfJobDefinition, type StageName } from '@wordbatch/pipeline';
import type { BatchApi, Sleep } from './batch-api';

export type RunOutcome = 'running' | 'succeeded' | 'failed';

/** What wordbatch needs to know of one Batch job, read from DescribeJobs. */
export interface JobView {
  readonly jobId: string;
  readonly jobName: string;
  /** From the job name (`<run>-<stage>`), else from the job definition's name. */
  readonly stage?: StageName;
  readonly status: JobStatus;
  readonly statusReason?: string;
  /** For an array job: its size and its children's counts by state. */
  readonly arraySize?: number;
  readonly children?: Readonly<Partial<Record<JobStatus, number>>>;
  readonly dependsOn: readonly string[];
  /** The container command: the stage's args. */
  readonly command: readonly string[];
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly shareIdentifier?: string;
  readonly exitCode?: number;
  readonly logStreamName?: string;
  /** The CloudWatch log group of its awslogs configuration. */
  readonly logGroup?: string;
}

export interface RunSnapshot {
  /** Every job of the run, each after the jobs it depends on. */
  readonly jobs: readonly JobView[];
  readonly outcome: RunOutcome;
}

const FINISHED: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED']);

export function toJobView(job: JobDetail): JobView {
  const jobName = job.jobName ?? '';
  const lastAttempt = job.attempts?.at(-1)?.container;
  const view: JobView = {
    jobId: job.jobId ?? '',
    jobName,
    stage: parseBatchJobName(jobName)?.stage ?? stageOfJobDefinition(job.jobDefinition ?? ''),
    status: job.status ?? 'SUBMITTED',
    statusReason: job.statusReason,
    arraySize: job.arrayProperties?.size,
    children: job.arrayProperties?.statusSummary as JobView['children'],
    dependsOn: (job.dependsOn ?? []).flatMap((dependency) => (dependency.jobId ? [dependency.jobId] : [])),
    command: job.container?.command ?? [],
    jobQueue: job.jobQueue ?? '',
    jobDefinition: job.jobDefinition ?? '',
    shareIdentifier: job.shareIdentifier,
    exitCode: job.container?.exitCode ?? lastAttempt?.exitCode,
    logStreamName: job.container?.logStreamName ?? lastAttempt?.logStreamName,
    logGroup: job.container?.logConfiguration?.options?.['awslogs-group'],
  };
  return Object.fromEntries(Object.entries(view).filter(([, value]) => value !== undefined)) as unknown as JobView;
}

export function outcomeOf(jobs: readonly JobView[]): RunOutcome {
  if (!jobs.every((job) => FINISHED.has(job.status))) return 'running';
  return jobs.every((job) => job.status === 'SUCCEEDED') ? 'succeeded' : 'failed';
}

function inDependencyOrder(jobs: readonly JobView[]): JobView[] {
  const known = new Set(jobs.map((job) => job.jobId));
  const ordered: JobView[] = [];
  const placed = new Set<string>();
  while (ordered.length < jobs.length) {
    const ready = jobs.filter((job) => !placed.has(job.jobId) && job.dependsOn.every((id) => placed.has(id) || !known.has(id)));
    // Batch has no dependency cycles; keep the rest in the given order if it ever did.
    const next = ready.length > 0 ? ready : jobs.filter((job) => !placed.has(job.jobId));
    for (const job of next) {
      ordered.push(job);
      placed.add(job.jobId);
    }
  }
  return ordered;
}

/**
 * Describes the given jobs and, when `discover` is set, every job they depend on, so that
 * the id of a run's last job (merge) is enough to see the whole run.
 */
export async function describeRun(api: BatchApi, jobIds: readonly string[], discover = true): Promise<RunSnapshot> {
  const found = new Map<string, JobView>();
  let wanted = [...new Set(jobIds)];
  while (wanted.length > 0) {
    const described = await api.describeJobs(wanted);
    const byId = new Map(described.map((job) => [job.jobId, job]));
    const missing = wanted.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new UsageError(`AWS Batch knows no job ${missing.join(', ')} (a wrong id, another region, or a job finished long ago)`);
    }
    for (const job of described) found.set(job.jobId ?? '', toJobView(job));
    wanted = discover ? [...new Set(described.flatMap((job) => toJobView(job).dependsOn))].filter((id) => !found.has(id)) : [];
  }
  const jobs = inDependencyOrder([...found.values()]);
  return { jobs, outcome: outcomeOf(jobs) };
}

export interface WatchOptions {
  readonly sleep: Sleep;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly onSnapshot: (snapshot: RunSnapshot) => void;
}

/** Polls the run until every job has finished, reporting each snapshot. */
export async function watchRun(api: BatchApi, jobIds: readonly string[], options: WatchOptions): Promise<RunSnapshot> {
  let snapshot = await describeRun(api, jobIds);
  options.onSnapshot(snapshot);
  const allIds = snapshot.jobs.map((job) => job.jobId);
  while (snapshot.outcome === 'running') {
    await options.sleep(options.intervalMs, options.signal);
    snapshot = await describeRun(api, allIds, false);
    options.onSnapshot(snapshot);
  }
  return snapshot;
}

export interface FailedChild {
  readonly index: number;
  readonly jobId: string;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly logStreamName?: string;
}

export interface FailureReport {
  readonly job: JobView;
  /** Batch failed it because a job it depends on failed: it never ran. */
  readonly dependencyFailed: boolean;
  /** For a failed array job: every failed child index, and the details of the first ones. */
  readonly failedChildren?: { readonly indices: readonly number[]; readonly described: readonly FailedChild[] };
}

/** Children described in detail (log streams): one DescribeJobs call's worth. */
export const DESCRIBED_CHILDREN = 100;

function isDependencyFailure(job: JobView): boolean {
  return job.status === 'FAILED' && /depend/i.test(job.statusReason ?? '') && job.exitCode === undefined;
}

/** The failed array children of an array job, by index, in index order. */
export async function failedChildIndices(api: BatchApi, arrayJobId: string): Promise<number[]> {
  const children = await api.listChildren(arrayJobId, 'FAILED');
  return children
    .map((child) => child.arrayProperties?.index ?? Number((child.jobId ?? '').split(':').at(-1)))
    .filter((index) => Number.isSafeInteger(index))
    .sort((a, b) => a - b);
}

/** Why each failed job of a run failed: its own error, a failed dependency, or failed children. */
export async function describeFailures(api: BatchApi, snapshot: RunSnapshot): Promise<FailureReport[]> {
  const reports: FailureReport[] = [];
  for (const job of snapshot.jobs.filter((candidate) => candidate.status === 'FAILED')) {
    const dependencyFailed = isDependencyFailure(job);
    if (job.arraySize === undefined || dependencyFailed) {
      reports.push({ job, dependencyFailed });
      continue;
    }
    const indices = await failedChildIndices(api, job.jobId);
    const details = await api.describeJobs(indices.slice(0, DESCRIBED_CHILDREN).map((index) => `${job.jobId}:${index}`));
    const described = details
      .map((detail) => {
        const view = toJobView(detail);
        const index = detail.arrayProperties?.index ?? Number(view.jobId.split(':').at(-1));
        return { index, jobId: view.jobId, exitCode: view.exitCode, reason: view.statusReason, logStreamName: view.logStreamName };
      })
      .sort((a, b) => a.index - b.index);
    reports.push({ job, dependencyFailed, failedChildren: { indices, described } });
  }
  return reports;
}
