import type { JobStatus } from '@aws-sdk/client-batch';
import type { PlannedJob, SubmittedJob } from './aws-executor';
import type { BatchTarget } from './target';
import type { FailureReport, JobView, RunSnapshot } from './watch';

/** `2, 5-7, 9`: indices as ranges, as merge prints missing shards. */
export function formatIndexRanges(indices: readonly number[]): string {
  const ranges: string[] = [];
  for (let start = 0; start < indices.length; ) {
    let end = start;
    while (end + 1 < indices.length && indices[end + 1] === indices[end] + 1) end++;
    ranges.push(end === start ? String(indices[start]) : `${indices[start]}-${indices[end]}`);
    start = end + 1;
  }
  return ranges.join(', ');
}

export function consoleUrl(region: string, jobId: string): string {
  return `https://${region}.console.aws.amazon.com/batch/home?region=${region}#jobs/detail/${jobId}`;
}

/** What `submit --dry-run` prints: the SubmitJob requests, with the ids they wait for still unknown. */
export function formatDryRun(planned: readonly PlannedJob[]): string {
  const requests = planned.map((job) => ({
    ...job.request,
    ...(job.dependsOnStages.length > 0 ? { dependsOn: job.dependsOnStages.map((stage) => ({ jobId: `<${stage} job id>` })) } : {}),
  }));
  return `${JSON.stringify(requests, null, 2)}\n`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/** What `submit` and `retry-failed` print: the job ids, where to see them and what to run next. */
export function formatSubmission(jobs: readonly SubmittedJob[], target: BatchTarget, region: string): string {
  const lines = [`Submitted to ${target.jobQueue} (${region}):`];
  for (const job of jobs) {
    const shape = job.arraySize > 1 ? `array of ${job.arraySize}` : 'single job';
    const after = job.dependsOn.length > 0 ? `, after ${job.dependsOn.join(', ')}` : '';
    lines.push(`  ${pad(job.stage, 8)} ${pad(job.jobId, 37)} ${job.jobName} (${shape}${after})`);
  }
  lines.push('Console:');
  for (const job of jobs) lines.push(`  ${pad(job.stage, 8)} ${consoleUrl(region, job.jobId)}`);
  const stages = [...new Set(jobs.map((job) => job.stage))];
  lines.push(`Logs:     ${target.logGroup}, one stream per job under ${stages.map((stage) => `${stage}/`).join(', ')}`);
  lines.push(`          aws logs tail ${target.logGroup} --follow --log-stream-name-prefix ${stages.at(-1)}/`);
  const last = jobs.at(-1)?.jobId ?? '';
  lines.push(`Watch:    wordbatch status --job ${last} --wait`);
  lines.push(`Retry:    wordbatch retry-failed --job ${last}      (after a failure: re-runs only the failed shards, then merge)`);
  return `${lines.join('\n')}\n`;
}

const CHILD_STATES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'RUNNING', 'STARTING', 'RUNNABLE', 'PENDING', 'SUBMITTED'];

function childCounts(job: JobView): string {
  const children = job.children ?? {};
  const parts = CHILD_STATES.flatMap((state) => {
    const count = children[state] ?? 0;
    return count > 0 ? [`${count} ${state.toLowerCase()}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : 'no children yet';
}

function progressBar(job: JobView, width = 20): string {
  const size = job.arraySize ?? 1;
  const done = (job.children?.SUCCEEDED ?? 0) + (job.children?.FAILED ?? 0);
  const filled = Math.min(width, Math.round((done / size) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${size}`;
}

function label(job: JobView): string {
  return job.stage ?? job.jobName;
}

/** One line for a terminal: each stage's state, with a bar for an array job. */
export function formatProgressLine(snapshot: RunSnapshot): string {
  return snapshot.jobs
    .map((job) => (job.arraySize !== undefined && job.status !== 'SUCCEEDED' ? `${label(job)} ${progressBar(job)} ${job.children?.FAILED ? `${job.children.FAILED} failed` : ''}`.trimEnd() : `${label(job)} ${job.status}`))
    .join(' | ');
}

/** The fields of a progress log line (when stderr is not a terminal, e.g. CI or CloudWatch). */
export function progressFields(snapshot: RunSnapshot): Record<string, unknown> {
  return {
    outcome: snapshot.outcome,
    jobs: snapshot.jobs.map((job) => ({
      stage: label(job),
      jobId: job.jobId,
      status: job.status,
      ...(job.children ? { children: job.children, arraySize: job.arraySize } : {}),
    })),
  };
}

/** What `status` prints on stdout: a line per job. */
export function formatStatus(snapshot: RunSnapshot): string {
  const lines = [`Run ${snapshot.outcome}:`];
  for (const job of snapshot.jobs) {
    const detail =
      job.arraySize !== undefined
        ? `array of ${job.arraySize}: ${childCounts(job)}`
        : job.status === 'FAILED' && job.statusReason
          ? job.statusReason
          : '';
    lines.push(`  ${pad(label(job), 8)} ${pad(job.status, 10)} ${pad(job.jobId, 37)} ${detail}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** What `status` adds after a failure: why each job failed, the failed children and their logs. */
export function formatFailures(reports: readonly FailureReport[], retryJobId: string): string {
  const lines = ['Failures:'];
  let retryable = false;
  for (const { job, dependencyFailed, failedChildren } of reports) {
    if (dependencyFailed) {
      lines.push(`  ${label(job)}: did not run: ${job.statusReason ?? 'a job it depends on failed'}`);
      continue;
    }
    if (failedChildren) {
      retryable ||= job.stage === 'migrate';
      const { indices, described } = failedChildren;
      lines.push(`  ${label(job)}: ${indices.length} of ${job.arraySize} children failed: ${formatIndexRanges(indices)}`);
      for (const child of described) {
        const exit = child.exitCode === undefined ? '' : ` exit ${child.exitCode}`;
        lines.push(`    child ${child.index}${exit}: ${child.reason ?? 'no reason given'}; log stream ${child.logStreamName ?? '(none: it never started)'}`);
      }
      if (indices.length > described.length) lines.push(`    … and ${indices.length - described.length} more`);
      if (job.logGroup) lines.push(`    aws logs get-log-events --log-group-name ${job.logGroup} --log-stream-name STREAM`);
      continue;
    }
    retryable ||= job.stage === 'migrate' || job.stage === 'merge';
    const exit = job.exitCode === undefined ? '' : ` exit ${job.exitCode}`;
    lines.push(`  ${label(job)}${exit}: ${job.statusReason ?? 'no reason given'}; log stream ${job.logStreamName ?? '(none: it never started)'}`);
  }
  if (retryable) lines.push(`Re-run what failed: wordbatch retry-failed --job ${retryJobId}`);
  return `${lines.join('\n')}\n`;
}
