import { readFile } from 'node:fs/promises';
import { type Logger, type StageContext } from '@wordbatch/cli';
import { estimateCost, formatCostEstimate } from '@wordbatch/cost';
import { IncompleteResultsError, StageError, TerminatedError, TransientError, UsageError } from '@wordbatch/errors';
import { createNameFilter } from '@wordbatch/planner';
import { asFolder, formatS3Path, parseS3Path, relativeName } from '@wordbatch/s3-path';
import { createS3Client, fanOutOptions, ObjectStore } from '@wordbatch/s3-store';
import { planSubmission, submitRun } from './aws-executor';
import { BatchApi, createBatchClient, realSleep } from './batch-api';
import { formatDryRun, formatFailures, formatIndexRanges, formatProgressLine, formatStatus, formatSubmission, progressFields } from './render';
import { objectRetryStore, planRetry, submitRetry } from './retry-failed';
import type { RetryFailedOptions, StatusOptions } from './run-options';
import { describeSubmission, type SubmitOptions } from './submit-options';
import { parseInfraOutputs, resolveTarget } from './target';
import { describeFailures, describeRun, watchRun, type RunSnapshot } from './watch';
import type { AwsCommandDeps } from './command-deps';

async function withBatch<T>(deps: AwsCommandDeps, context: StageContext, use: (api: BatchApi) => Promise<T>): Promise<T> {
  const client = (deps.batchClient ?? createBatchClient)(context.env);
  const api = new BatchApi(
    client,
    {
      sleep: deps.sleep ?? realSleep,
      signal: context.signal,
      onRetry: (event) => context.logger.warn(event, 'Batch:Retrying'),
    },
    context.env,
  );
  try {
    return await use(api);
  } finally {
    client.destroy();
  }
}

function progressReporter(deps: AwsCommandDeps, logger: Logger, quiet: boolean): { report: (snapshot: RunSnapshot) => void; done: () => void } {
  // --quiet: results and errors only (off a terminal, its log level already drops the lines).
  if (quiet) return { report: () => undefined, done: () => undefined };
  if (deps.stderr.isTTY) {
    return {
      report: (snapshot) => deps.stderr.write(`\r\x1b[K${formatProgressLine(snapshot)}`),
      done: () => deps.stderr.write('\r\x1b[K'),
    };
  }
  let last = '';
  return {
    report(snapshot) {
      const line = formatProgressLine(snapshot);
      if (line !== last) logger.info(progressFields(snapshot), 'Batch:Progress');
      last = line;
    },
    done: () => undefined,
  };
}

/**
 * Shows a run (watching it until it finishes with `wait`), and turns its outcome into the
 * exit code: 0 succeeded, 5 failed (after naming the failed children), 75 still running.
 */
async function reportRun(
  api: BatchApi,
  jobIds: readonly string[],
  options: { readonly wait: boolean; readonly interval: number },
  deps: AwsCommandDeps,
  context: StageContext,
): Promise<void> {
  const progress = progressReporter(deps, context.logger, context.quiet);
  let snapshot: RunSnapshot;
  try {
    snapshot = options.wait
      ? await watchRun(api, jobIds, { sleep: deps.sleep ?? realSleep, intervalMs: options.interval * 1000, signal: context.signal, onSnapshot: progress.report })
      : await describeRun(api, jobIds);
  } finally {
    progress.done();
  }
  context.stdout.write(formatStatus(snapshot));
  const lastJobId = snapshot.jobs.at(-1)?.jobId ?? jobIds[0];
  if (snapshot.outcome === 'failed') {
    const reports = await describeFailures(api, snapshot);
    context.stdout.write(formatFailures(reports, lastJobId));
    const failed = reports.filter((report) => !report.dependencyFailed).map((report) => report.job.stage ?? report.job.jobName);
    throw new IncompleteResultsError(`the run failed (${failed.join(', ')}): see the failures above; \`wordbatch retry-failed --job ${lastJobId}\` re-runs them`);
  }
  if (snapshot.outcome === 'running') {
    throw new TransientError('the run has not finished yet: look again later, or pass --wait');
  }
  context.logger.info({ jobs: snapshot.jobs.length }, 'Batch:RunSucceeded');
}

/** `submit`: describes the run, resolves where it goes, and submits it (or prints it with --dry-run). */
export async function submit(options: SubmitOptions, context: StageContext, deps: AwsCommandDeps): Promise<void> {
  const run = describeSubmission(options, (deps.now ?? (() => new Date()))());
  const outputsFile = options.target.infraOutputs;
  const outputs = outputsFile === undefined ? undefined : parseInfraOutputs(await readOutputs(outputsFile, deps), outputsFile);
  const target = resolveTarget(options.target, outputs);
  const planned = planSubmission(run, target, options.dependsOn);
  if (options.dryRun) {
    context.stdout.write(formatDryRun(planned));
    if (options.source !== undefined) await estimateRun(options, options.source, context, deps);
    return;
  }
  await withBatch(deps, context, async (api) => {
    const submitted = await submitRun(run, target, api, options.dependsOn);
    context.logger.info({ run: run.name, jobs: submitted.map((job) => ({ stage: job.stage, jobId: job.jobId })) }, 'Submit:Submitted');
    context.stdout.write(formatSubmission(submitted, target, await api.region()));
    if (options.wait) await reportRun(api, [submitted[submitted.length - 1].jobId], options, deps, context);
  });
}

/**
 * Lists the source as plan would (same filters, side by side) and logs what the run will cost;
 * the dry run's stdout stays the SubmitJob requests. A source that cannot be listed leaves the
 * estimate out with a warning: the requests are still worth seeing.
 */
async function estimateRun(options: SubmitOptions, sourceUri: string, context: StageContext, deps: AwsCommandDeps): Promise<void> {
  const source = asFolder(parseS3Path(sourceUri));
  const keep = createNameFilter(options.include, options.exclude);
  const store = new ObjectStore((deps.s3Client ?? createS3Client)(context.env));
  try {
    let objects = 0;
    let bytes = 0;
    for await (const page of store.listPages(source, { signal: context.signal, fanOut: fanOutOptions(options.listConcurrency, options.listDepth) })) {
      for (const object of page) {
        if (object.key.endsWith('/') || !keep(relativeName(source, object.key))) continue;
        objects++;
        bytes += object.size;
      }
    }
    const estimate = estimateCost(
      { objects, bytes, shards: options.shards, listRequests: store.requests.list, perFile: options.perFile },
      options.cost.compute,
      options.cost.prices,
    );
    const { requests, vcpuHours, memoryGbHours, dollars, prices } = estimate;
    context.logger.info(
      { source: formatS3Path(source), objects, bytes, shards: options.shards, requests, vcpuHours, memoryGbHours, dollars, pricedOn: prices.pricedOn },
      'Submit:CostEstimated',
    );
    if (!context.quiet) deps.stderr.write(`${formatCostEstimate(estimate).join('\n')}\n`);
  } catch (error) {
    if (!(error instanceof StageError) || error instanceof TerminatedError) throw error;
    context.logger.warn({ source: formatS3Path(source), reason: error.message }, 'Submit:CostUnknown');
  } finally {
    store.destroy();
  }
}

async function readOutputs(file: string, deps: AwsCommandDeps): Promise<string> {
  try {
    return await (deps.readTextFile ?? ((path) => readFile(path, 'utf8')))(file);
  } catch (error) {
    throw new UsageError(`--infra-outputs ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `status`: one look at the run, or watching it with --wait. */
export function status(options: StatusOptions, context: StageContext, deps: AwsCommandDeps): Promise<void> {
  return withBatch(deps, context, (api) => reportRun(api, options.job, options, deps, context));
}

/** `retry-failed`: re-runs the failed shards of a finished run over an index map, then merge. */
export async function retryFailed(options: RetryFailedOptions, context: StageContext, deps: AwsCommandDeps): Promise<void> {
  const objects = new ObjectStore((deps.s3Client ?? createS3Client)(context.env));
  try {
    const store = objectRetryStore(objects, context.signal);
    await withBatch(deps, context, async (api) => {
      const snapshot = await describeRun(api, options.job);
      const plan = await planRetry(snapshot, api, store, options);
      if (plan === undefined) {
        context.stdout.write('Nothing to retry: every job of the run succeeded.\n');
        return;
      }
      const what = plan.indexMap
        ? `migrate for children ${formatIndexRanges(plan.failedChildren)} (shards ${formatIndexRanges([...plan.shards].sort((a, b) => a - b))}) over ${formatS3Path(plan.indexMap)}, then merge`
        : 'merge';
      context.logger.info({ run: plan.run.name, failedChildren: plan.failedChildren, shards: plan.shards }, 'Retry:Planned');
      if (options.dryRun) {
        context.stdout.write(`Would re-run ${what}:\n${formatDryRun(planSubmission(plan.run, plan.target))}`);
        return;
      }
      const submitted = await submitRetry(plan, api, store);
      context.stdout.write(`Re-running ${what}.\n${formatSubmission(submitted, plan.target, await api.region())}`);
      if (options.wait) await reportRun(api, [submitted[submitted.length - 1].jobId], options, deps, context);
    });
  } finally {
    objects.destroy();
  }
}
