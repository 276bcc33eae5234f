import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand, type JobDetail, type JobStatus, type SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { flagName, parseCommandLine, type FlagSet } from '@wordbatch/cli';
import { ExitCode, StageError } from '@wordbatch/errors';
import { describePipeline } from '@wordbatch/pipeline';
import type { PlanHeader } from '@wordbatch/plan-schema';
import { formatS3Path, parseS3Path, type S3Path } from '@wordbatch/s3-path';
import { MERGE_COMMAND as MERGE_COMMAND_LINE, MERGE_FLAGS, MIGRATE_COMMAND, MIGRATE_FLAGS } from '@wordbatch/stage-commands';
import { jobDetail, testApi } from './batch-fakes.spec-helper';
import { planRetry, submitRetry, type RetryStore } from './retry-failed';
import { describeRun } from './watch';

const batch = mockClient(BatchClient);
afterAll(() => batch.restore());

let world = new Map<string, JobDetail>();
function set(...jobs: JobDetail[]): void {
  for (const job of jobs) world.set(job.jobId ?? '', job);
}
function failedChildren(parentId: string, indices: number[]): void {
  batch.on(ListJobsCommand, { arrayJobId: parentId, jobStatus: 'FAILED' }).resolves({
    jobSummaryList: indices.map((index) => ({ jobId: `${parentId}:${index}`, jobName: 'child', arrayProperties: { index } })),
  });
}

beforeEach(() => {
  batch.reset();
  world = new Map();
  batch.on(DescribeJobsCommand).callsFake((input: { jobs: string[] }) => ({ jobs: input.jobs.flatMap((id) => world.get(id) ?? []) }));
  let next = 0;
  batch.on(SubmitJobCommand).callsFake((input: SubmitJobCommandInput) => ({ jobId: `retry-${++next}`, jobName: input.jobName }));
});

const PLAN = 's3://dst/plans/books.json';
const header: PlanHeader = {
  version: 1,
  kind: 'wordbatch-plan',
  id: 'p-books',
  createdAt: '2025-01-01T00:00:00.000Z',
  source: { bucket: 'src', key: 'books/' },
  destination: { bucket: 'dst', key: 'out/' },
  shardLists: { bucket: 'dst', key: 'plans/books/' },
  settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
  shardCount: 8,
  totals: { files: 80, bytes: 8_000 },
};

/** The S3 side in memory: the plan header, and the maps written so far. */
function memoryStore(maps: Record<string, number[]> = {}): RetryStore & { readonly written: Map<string, number[]> } {
  const written = new Map(Object.entries(maps));
  return {
    written,
    async readPlanHeader(plan: S3Path) {
      expect(formatS3Path(plan)).toBe(PLAN);
      return header;
    },
    async readIndexMap(location: S3Path) {
      const map = written.get(formatS3Path(location));
      if (!map) throw new Error(`no map at ${formatS3Path(location)}`);
      return map;
    },
    async writeIndexMap(location: S3Path, shards: readonly number[]) {
      written.set(formatS3Path(location), [...shards]);
    },
  };
}

/** As older versions wrote it: merge's --source is now --destination, still read as an alias. */
const MERGE_COMMAND = ['--source', 's3://dst/out/', '--plan', PLAN, '--top', '20'];
const RETRIED_MERGE_COMMAND = ['--destination', 's3://dst/out/', '--plan', PLAN, '--top', '20'];
const plan = (status: JobStatus) => jobDetail('plan-id', 'books-plan', status, { statusReason: status === 'FAILED' ? 'Essential container in task exited' : undefined });
const migrate = (status: JobStatus, extra: Partial<JobDetail> & { command?: string[] } = {}) =>
  jobDetail('migrate-id', 'books-migrate', status, {
    dependsOn: [{ jobId: 'plan-id' }],
    arrayProperties: { size: 8, statusSummary: {} },
    command: ['--plan', PLAN, '--concurrency', '8'],
    shareIdentifier: 'teamA',
    ...extra,
  });
const merge = (status: JobStatus, jobName = 'books-merge', command = MERGE_COMMAND) =>
  jobDetail('merge-id', jobName, status, {
    dependsOn: [{ jobId: 'migrate-id' }],
    statusReason: status === 'FAILED' ? 'Dependent Job failed' : undefined,
    command,
    shareIdentifier: 'teamA',
  });

function sent(): SubmitJobCommandInput[] {
  return batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input);
}

async function retryOf(store: RetryStore, overrides = {}) {
  const api = testApi();
  const retryPlan = await planRetry(await describeRun(api, ['merge-id']), api, store, overrides);
  return { retryPlan, submitted: retryPlan && (await submitRetry(retryPlan, api, store)) };
}

describe('retry-failed', () => {
  it('re-runs only the failed shards, over an index map under the results folder, then merge', async () => {
    set(plan('SUCCEEDED'), migrate('FAILED'), merge('FAILED'));
    failedChildren('migrate-id', [2, 5, 6]);
    const store = memoryStore();
    const { retryPlan, submitted } = await retryOf(store);
    const map = 's3://dst/out/p-books/retries/retry-1.json';
    expect(retryPlan?.failedChildren).toEqual([2, 5, 6]);
    expect(store.written.get(map)).toEqual([2, 5, 6]);
    expect(sent()).toEqual([
      {
        jobName: 'books-retry1-migrate',
        jobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/wordbatch-queue',
        jobDefinition: 'wordbatch-migrate',
        containerOverrides: { command: ['--plan', PLAN, '--concurrency', '8', '--index-map', map] },
        arrayProperties: { size: 3 },
        shareIdentifier: 'teamA',
      },
      {
        jobName: 'books-retry1-merge',
        jobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/wordbatch-queue',
        jobDefinition: 'wordbatch-merge',
        containerOverrides: { command: RETRIED_MERGE_COMMAND },
        dependsOn: [{ jobId: 'retry-1' }],
        shareIdentifier: 'teamA',
      },
    ]);
    expect(submitted?.map((job) => job.jobId)).toEqual(['retry-1', 'retry-2']);
  });

  it('maps the failed children of a retry back to their shards, and numbers the next retry', async () => {
    const firstMap = 's3://dst/out/p-books/retries/retry-1.json';
    set(
      migrate('FAILED', {
        jobName: 'books-retry1-migrate',
        dependsOn: [],
        arrayProperties: { size: 3 },
        command: ['--plan', PLAN, '--index-map', firstMap],
      }),
      merge('FAILED', 'books-retry1-merge'),
    );
    failedChildren('migrate-id', [1]);
    const store = memoryStore({ [firstMap]: [2, 5, 6] });
    const { retryPlan } = await retryOf(store, { queue: 'other-queue', shareIdentifier: 'teamB' });
    expect(retryPlan?.shards).toEqual([5]);
    expect(store.written.get('s3://dst/out/p-books/retries/retry-2.json')).toEqual([5]);
    // One shard: a plain job, which migrate runs as entry 0 of the map.
    expect(sent()[0]).toEqual({
      jobName: 'books-retry2-migrate',
      jobQueue: 'other-queue',
      jobDefinition: 'wordbatch-migrate',
      containerOverrides: { command: ['--plan', PLAN, '--index-map', 's3://dst/out/p-books/retries/retry-2.json'] },
      shareIdentifier: 'teamB',
    });
    expect(sent()[1].jobName).toBe('books-retry2-merge');
  });

  it('re-runs merge alone when only merge failed', async () => {
    set(plan('SUCCEEDED'), migrate('SUCCEEDED'), jobDetail('merge-id', 'books-merge', 'FAILED', { dependsOn: [{ jobId: 'migrate-id' }], command: MERGE_COMMAND, container: { command: MERGE_COMMAND, exitCode: 75 } }));
    const store = memoryStore();
    await retryOf(store);
    expect(store.written.size).toBe(0);
    expect(sent()).toEqual([
      {
        jobName: 'books-retry1-merge',
        jobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/wordbatch-queue',
        jobDefinition: 'wordbatch-merge',
        containerOverrides: { command: RETRIED_MERGE_COMMAND },
      },
    ]);
  });

  it('re-runs a failed single-shard migrate as shard 0', async () => {
    set(plan('SUCCEEDED'), migrate('FAILED', { arrayProperties: undefined }), merge('FAILED'));
    const store = memoryStore();
    const { retryPlan } = await retryOf(store);
    expect(retryPlan?.shards).toEqual([0]);
    expect(batch.commandCalls(ListJobsCommand)).toHaveLength(0);
    expect(sent()[0]).not.toHaveProperty('arrayProperties');
  });

  it('has nothing to do after a run that succeeded', async () => {
    set(plan('SUCCEEDED'), migrate('SUCCEEDED'), merge('SUCCEEDED'));
    expect((await retryOf(memoryStore())).retryPlan).toBeUndefined();
    expect(sent()).toEqual([]);
  });

  it.each([
    ['the run is still going', () => set(plan('SUCCEEDED'), migrate('RUNNING'), merge('PENDING')), /still going \(migrate RUNNING, merge PENDING\)/],
    ['plan failed', () => set(plan('FAILED'), migrate('FAILED'), merge('FAILED')), /plan failed \(Essential container in task exited\): there are no shards to re-run/],
  ])('refuses when %s', async (_, arrange, message) => {
    arrange();
    const error = await retryOf(memoryStore()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StageError);
    expect((error as StageError).exitCode).toBe(ExitCode.Usage);
    expect((error as StageError).message).toMatch(message);
    expect(sent()).toEqual([]);
  });
});

describe('every flag of migrate and merge survives submit and retry-failed', () => {
  /** Each flag at a valid value other than its default, so that the job command carries it. */
  const samples = (flags: FlagSet, leaveOut: readonly string[]) =>
    Object.fromEntries(Object.entries(flags).filter(([key]) => !leaveOut.includes(key)).map(([key, entry]) => [key, entry.sample]));

  it('writes each flag into the job command, reads it back with the stage definition, and submits it again', async () => {
    const migrateSamples = samples(MIGRATE_FLAGS, ['plan', 'index', 'indexMap']);
    const mergeSamples = samples(MERGE_FLAGS, ['destination', 'plan']);
    const run = describePipeline({
      ...migrateSamples,
      ...mergeSamples,
      source: parseS3Path('s3://src/books/'),
      destination: parseS3Path('s3://dst/out/'),
      plan: parseS3Path(PLAN),
      shards: 8,
      name: 'books',
    });
    const [, migrateRun, mergeRun] = run.stages;
    for (const key of Object.keys(migrateSamples)) expect(migrateRun.args).toContain(`--${flagName(key)}`);
    for (const key of Object.keys(mergeSamples)) expect(mergeRun.args).toContain(`--${flagName(key)}`);

    set(plan('SUCCEEDED'), migrate('FAILED', { command: [...migrateRun.args] }), merge('FAILED', 'books-merge', [...mergeRun.args]));
    failedChildren('migrate-id', [1]);
    await retryOf(memoryStore());
    const [migrateRetry, mergeRetry] = sent().map((input) => input.containerOverrides?.command);
    expect(migrateRetry).toEqual([...migrateRun.args, '--index-map', 's3://dst/out/p-books/retries/retry-1.json']);
    expect(mergeRetry).toEqual(mergeRun.args);
    expect(parseCommandLine(MIGRATE_COMMAND, migrateRetry ?? [])).toEqual({ ...migrateSamples, plan: parseS3Path(PLAN), index: undefined, indexMap: parseS3Path('s3://dst/out/p-books/retries/retry-1.json') });
    expect(parseCommandLine(MERGE_COMMAND_LINE, mergeRetry ?? [])).toEqual({ ...mergeSamples, destination: parseS3Path('s3://dst/out/'), plan: parseS3Path(PLAN) });
  });
});
