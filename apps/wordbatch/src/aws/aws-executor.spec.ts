import { BatchClient, SubmitJobCommand, type SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { ExitCode, StageError } from '@wordbatch/errors';
import { describePipeline } from '@wordbatch/pipeline';
import { parseS3Path } from '@wordbatch/s3-path';
import { planSubmission, submitRun, type PartialSubmissionError } from './aws-executor';
import { clientError, fakeSleep, testApi, throttled } from './batch-fakes.spec-helper';
import { formatDryRun } from './render';
import type { BatchTarget } from './target';

const batch = mockClient(BatchClient);
beforeEach(() => {
  batch.reset();
  let next = 0;
  batch.on(SubmitJobCommand).callsFake((input: SubmitJobCommandInput) => ({ jobId: `id-${++next}`, jobName: input.jobName }));
});
afterAll(() => batch.restore());

const target: BatchTarget = {
  jobQueue: 'wordbatch-queue',
  jobDefinitions: { plan: 'wordbatch-plan', migrate: 'wordbatch-migrate', merge: 'wordbatch-merge' },
  logGroup: '/aws/batch/wordbatch',
};

const options = { source: parseS3Path('s3://corpus/books/'), destination: parseS3Path('s3://results/out/'), shards: 8, name: 'books', top: 20 };

function sent(): SubmitJobCommandInput[] {
  return batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input);
}

describe('the AWS Batch executor', () => {
  it('submits plan, an array of migrate children after plan, then merge after migrate, all at once', async () => {
    const run = describePipeline(options);
    const submitted = await submitRun(run, target, testApi());
    expect(sent()).toEqual([
      {
        jobName: 'books-plan',
        jobQueue: 'wordbatch-queue',
        jobDefinition: 'wordbatch-plan',
        containerOverrides: {
          command: ['--source', 's3://corpus/books/', '--destination', 's3://results/out/', '--plan', 's3://results/plans/books.json', '--shards', '8'],
        },
      },
      {
        jobName: 'books-migrate',
        jobQueue: 'wordbatch-queue',
        jobDefinition: 'wordbatch-migrate',
        containerOverrides: { command: ['--plan', 's3://results/plans/books.json'] },
        arrayProperties: { size: 8 },
        dependsOn: [{ jobId: 'id-1' }],
      },
      {
        jobName: 'books-merge',
        jobQueue: 'wordbatch-queue',
        jobDefinition: 'wordbatch-merge',
        containerOverrides: { command: ['--destination', 's3://results/out/', '--plan', 's3://results/plans/books.json', '--top', '20'] },
        dependsOn: [{ jobId: 'id-2' }],
      },
    ]);
    // The commands are the description's stage args, unchanged.
    expect(sent().map((request) => request.containerOverrides?.command)).toEqual(run.stages.map((stage) => stage.args));
    expect(submitted.map((job) => [job.stage, job.jobId, job.arraySize, job.dependsOn])).toEqual([
      ['plan', 'id-1', 1, []],
      ['migrate', 'id-2', 8, ['id-1']],
      ['merge', 'id-3', 1, ['id-2']],
    ]);
  });

  it('submits a one-shard migrate as a plain job: Batch arrays start at 2', async () => {
    await submitRun(describePipeline({ ...options, shards: 1 }), target, testApi());
    expect(sent()[1]).not.toHaveProperty('arrayProperties');
    expect(sent()[1].dependsOn).toEqual([{ jobId: 'id-1' }]);
  });

  it('sends a share identifier only when one is given', async () => {
    await submitRun(describePipeline(options), { ...target, shareIdentifier: 'teamA' }, testApi());
    expect(sent().map((request) => request.shareIdentifier)).toEqual(['teamA', 'teamA', 'teamA']);
    batch.resetHistory();
    await submitRun(describePipeline(options), target, testApi());
    for (const request of sent()) expect(request).not.toHaveProperty('shareIdentifier');
  });

  it('makes the first stage of a partial run wait for the given jobs', async () => {
    const run = describePipeline(options);
    await submitRun({ ...run, stages: [run.stages[2]] }, target, testApi(), ['migrate-job-id']);
    expect(sent()).toEqual([expect.objectContaining({ jobName: 'books-merge', dependsOn: [{ jobId: 'migrate-job-id' }] })]);
  });

  it('rides out throttling between submissions', async () => {
    batch.reset();
    batch
      .on(SubmitJobCommand)
      .resolvesOnce({ jobId: 'id-1', jobName: 'books-plan' })
      .rejectsOnce(throttled())
      .resolvesOnce({ jobId: 'id-2', jobName: 'books-migrate' })
      .resolvesOnce({ jobId: 'id-3', jobName: 'books-merge' });
    const sleep = fakeSleep();
    const submitted = await submitRun(describePipeline(options), target, testApi(sleep));
    expect(submitted.map((job) => job.jobId)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(sleep.delays).toEqual([250]);
    expect(sent()[1]).toEqual(sent()[2]);
  });

  it('names what was already submitted when a later stage is refused', async () => {
    batch.reset();
    batch
      .on(SubmitJobCommand)
      .resolvesOnce({ jobId: 'id-1', jobName: 'books-plan' })
      .rejectsOnce(clientError('JobDefinition wordbatch-migrate not found'));
    const error = (await submitRun(describePipeline(options), target, testApi()).catch((caught: unknown) => caught)) as PartialSubmissionError;
    expect(error).toBeInstanceOf(StageError);
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.submitted.map((job) => job.jobId)).toEqual(['id-1']);
    expect(error.message).toMatch(/submitting migrate failed: AWS Batch refused SubmitJob: JobDefinition wordbatch-migrate not found; already submitted: plan id-1/);
  });

  it('refuses job names and payloads that SubmitJob would refuse, before sending anything', () => {
    expect(() => planSubmission({ ...describePipeline(options), name: 'x'.repeat(125) }, target)).toThrow(/at most 128/);
    const huge = describePipeline({ ...options, include: Array.from({ length: 2_000 }, (_, index) => `folder-${index}/*.txt`) });
    expect(() => planSubmission(huge, target)).toThrow(/bytes, over the 24576 this tool allows \(AWS Batch: 30 KiB\)/);
    expect(() => planSubmission(describePipeline(options), target, Array.from({ length: 21 }, (_, index) => `dep-${index}`))).toThrow(/allows 20/);
    expect(sent()).toEqual([]);
  });

  it('prints a dry run as the exact requests, dependencies still unknown', () => {
    const requests = JSON.parse(formatDryRun(planSubmission(describePipeline(options), target))) as SubmitJobCommandInput[];
    expect(requests.map((request) => request.dependsOn)).toEqual([undefined, [{ jobId: '<plan job id>' }], [{ jobId: '<migrate job id>' }]]);
    expect(requests[1].arrayProperties).toEqual({ size: 8 });
  });
});
