import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { ExitCode, StageError } from '@wordbatch/errors';
import { accessDenied, clientError, fakeSleep, serverError, testApi, throttled } from './batch-fakes.spec-helper';

const batch = mockClient(BatchClient);
beforeEach(() => batch.reset());
afterAll(() => batch.restore());

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

const request = { jobName: 'r-plan', jobQueue: 'q', jobDefinition: 'wordbatch-plan' };

describe('BatchApi', () => {
  it('retries a throttled SubmitJob with exponential backoff, without really waiting', async () => {
    batch.on(SubmitJobCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ jobId: 'job-1', jobName: 'r-plan' });
    const sleep = fakeSleep();
    expect(await testApi(sleep).submitJob(request)).toBe('job-1');
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(3);
    expect(sleep.delays).toEqual([250, 500]);
  });

  it('gives up on throttling after its attempts, as a transient failure (exit 75)', async () => {
    batch.on(SubmitJobCommand).rejects(throttled());
    const sleep = fakeSleep();
    const error = await failure(testApi(sleep, 4).submitJob(request));
    expect(error.exitCode).toBe(ExitCode.Transient);
    expect(error.message).toMatch(/kept throttling SubmitJob/);
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(4);
    expect(sleep.delays).toEqual([250, 500, 1000]);
  });

  it('never repeats a SubmitJob that failed on the server side: it may have created the job', async () => {
    batch.on(SubmitJobCommand).rejects(serverError());
    const error = await failure(testApi().submitJob(request));
    expect(error.exitCode).toBe(ExitCode.Transient);
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(1);
  });

  it('retries read-only calls on server errors', async () => {
    batch.on(DescribeJobsCommand).rejectsOnce(serverError()).resolves({ jobs: [] });
    expect(await testApi().describeJobs(['a'])).toEqual([]);
    expect(batch.commandCalls(DescribeJobsCommand)).toHaveLength(2);
  });

  it('maps refusals to the exit codes a user can act on', async () => {
    batch.on(SubmitJobCommand).rejectsOnce(accessDenied()).rejectsOnce(clientError('Job queue wrong-queue not found'));
    const denied = await failure(testApi().submitJob(request));
    expect(denied.exitCode).toBe(ExitCode.AccessDenied);
    expect(denied.message).toMatch(/not allowed to call batch:SubmitJob/);
    const refused = await failure(testApi().submitJob(request));
    expect(refused.exitCode).toBe(ExitCode.Usage);
    expect(refused.message).toBe('AWS Batch refused SubmitJob: Job queue wrong-queue not found');
  });

  it('hints at --share-identifier when a fair-share queue wants one', async () => {
    batch.on(SubmitJobCommand).rejects(clientError('ShareIdentifier is required for job queue with a fair share policy'));
    expect((await failure(testApi().submitJob(request))).message).toMatch(/needs --share-identifier/);
  });

  it('describes at most 100 jobs per call', async () => {
    batch.on(DescribeJobsCommand).callsFake((input: { jobs: string[] }) => ({ jobs: input.jobs.map((jobId) => ({ jobId })) }));
    const ids = Array.from({ length: 250 }, (_, index) => `job-${index}`);
    const jobs = await testApi().describeJobs(ids);
    expect(jobs.map((job) => job.jobId)).toEqual(ids);
    expect(batch.commandCalls(DescribeJobsCommand).map((call) => call.args[0].input.jobs?.length)).toEqual([100, 100, 50]);
  });

  it('lists every page of an array job children in one state', async () => {
    batch
      .on(ListJobsCommand)
      .resolvesOnce({ jobSummaryList: [{ jobId: 'p:1', jobName: 'x' }], nextToken: 't1' })
      .resolvesOnce({ jobSummaryList: [{ jobId: 'p:4', jobName: 'x' }] });
    const children = await testApi().listChildren('p', 'FAILED');
    expect(children.map((child) => child.jobId)).toEqual(['p:1', 'p:4']);
    expect(batch.commandCalls(ListJobsCommand).map((call) => call.args[0].input)).toEqual([
      { arrayJobId: 'p', jobStatus: 'FAILED', nextToken: undefined },
      { arrayJobId: 'p', jobStatus: 'FAILED', nextToken: 't1' },
    ]);
  });
});
