import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand, type JobDetail } from '@aws-sdk/client-batch';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyStack, synthesize, type AppliedStack } from '../stack/applied-stack';
import { BatchEndpoint } from './batch-endpoint';
import { NodeProcessRunner } from './containers';

// The endpoint over the real synthesized stack, spoken to by the real Batch SDK client; the
// containers are local Node processes here (the rehearsal runs them with podman).

const WORKSPACE = resolve(__dirname, '../../..');
const ACCOUNT = '123456789012';

/** A container command: node evaluating `script`. */
const nodeScript = (script: string) => ['-e', script];

describe('BatchEndpoint', () => {
  let stack: AppliedStack;
  let endpoint: BatchEndpoint;
  let client: BatchClient;
  let logsDir: string;
  const platformSeen: { jobId: string; attempt: number; role?: string }[] = [];

  beforeAll(async () => {
    const synthesized = applyStack(synthesize(WORKSPACE), ACCOUNT);
    // The same stack with a 5-second plan timeout, to see SIGTERM and SIGKILL without waiting
    // a minute (long enough for Node to start and install its handler on a loaded machine).
    stack = {
      ...synthesized,
      jobDefinitions: synthesized.jobDefinitions.map((definition) =>
        definition.name === 'wordbatch-plan' ? { ...definition, timeout: { attemptDurationSeconds: 5 } } : definition,
      ),
    };
    logsDir = mkdtempSync(join(tmpdir(), 'wordbatch-batch-logs-'));
    endpoint = new BatchEndpoint({
      stack,
      runner: new NodeProcessRunner(),
      logsDir,
      maxRunning: 2,
      stopGraceSeconds: 1,
      platformEnvironment: (attempt) => {
        platformSeen.push({ jobId: attempt.jobId, attempt: attempt.attempt, role: attempt.definition.containerProperties.jobRoleArn });
        return { REHEARSAL_ROLE: attempt.definition.containerProperties.jobRoleArn ?? '' };
      },
    });
    const url = await endpoint.listen();
    client = new BatchClient({ region: stack.region, endpoint: url, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  const describe1 = async (jobId: string): Promise<JobDetail> => {
    const { jobs } = await client.send(new DescribeJobsCommand({ jobs: [jobId] }));
    return jobs?.[0] ?? ({} as JobDetail);
  };

  it('reads the queue and job definitions of the stack and refuses others, as ClientException', async () => {
    await expect(client.send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'no-such-queue', jobDefinition: 'wordbatch-plan' }))).rejects.toMatchObject({
      name: 'ClientException',
      message: 'JobQueue no-such-queue not found',
    });
    await expect(client.send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'wordbatch-queue', jobDefinition: 'wordbatch-nothing' }))).rejects.toMatchObject({
      name: 'ClientException',
    });
  });

  it('runs an array job: children with their index, retries as evaluateOnExit says, a failed dependency fails the dependent', async () => {
    // Child 0 succeeds, child 1 exits 75 on its first attempt (retried), child 2 exits 2 (not retried).
    const script = `
      const index = Number(process.env.AWS_BATCH_JOB_ARRAY_INDEX), attempt = Number(process.env.AWS_BATCH_JOB_ATTEMPT);
      console.log(JSON.stringify({ id: process.env.AWS_BATCH_JOB_ID, index, attempt, region: process.env.AWS_REGION, role: process.env.REHEARSAL_ROLE }));
      process.exit(index === 1 && attempt === 1 ? 75 : index === 2 ? 2 : 0);`;
    const array = await client.send(
      new SubmitJobCommand({ jobName: 'run-migrate', jobQueue: 'wordbatch-queue', jobDefinition: 'wordbatch-migrate', arrayProperties: { size: 3 }, containerOverrides: { command: nodeScript(script) } }),
    );
    const arrayId = array.jobId ?? '';
    const after = await client.send(
      new SubmitJobCommand({ jobName: 'run-merge', jobQueue: 'wordbatch-queue', jobDefinition: 'wordbatch-merge:1', dependsOn: [{ jobId: arrayId }], containerOverrides: { command: nodeScript('process.exit(0)') } }),
    );
    await endpoint.settled();

    const parent = await describe1(arrayId);
    expect(parent.status).toBe('FAILED');
    expect(parent.arrayProperties).toMatchObject({ size: 3, statusSummary: { SUCCEEDED: 2, FAILED: 1 } });
    const children = await Promise.all([0, 1, 2].map((index) => describe1(`${arrayId}:${index}`)));
    expect(children.map((child) => [child.status, child.attempts?.length, child.container?.exitCode])).toEqual([
      ['SUCCEEDED', 1, 0],
      ['SUCCEEDED', 2, 0],
      ['FAILED', 1, 2],
    ]);
    expect(endpoint.historyOf(`${arrayId}:0`)).toEqual(['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(endpoint.historyOf(`${arrayId}:1`)).toEqual(['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(endpoint.historyOf(arrayId)).toEqual(['SUBMITTED', 'PENDING', 'RUNNING', 'FAILED']);

    const merge = await describe1(after.jobId ?? '');
    expect(merge).toMatchObject({ status: 'FAILED', statusReason: 'Dependent Job failed' });
    expect(merge.attempts).toEqual([]);

    const failed = await client.send(new ListJobsCommand({ arrayJobId: arrayId, jobStatus: 'FAILED' }));
    expect(failed.jobSummaryList?.map((summary) => summary.arrayProperties?.index)).toEqual([2]);

    // The container saw Batch's variables, the job definition's environment and its role, and logged to its stream.
    const stream = children[2].container?.logStreamName ?? '';
    expect(stream).toMatch(/^migrate\/default\/[0-9a-f]{32}$/);
    const logged = JSON.parse(readFileSync(join(logsDir, '/aws/batch/wordbatch', stream), 'utf8')) as Record<string, unknown>;
    expect(logged).toEqual({ id: `${arrayId}:2`, index: 2, attempt: 1, region: stack.region, role: `arn:aws:iam::${ACCOUNT}:role/wordbatch-migrate-job` });
    expect(platformSeen.filter((seen) => seen.jobId.startsWith(arrayId)).map((seen) => seen.attempt).sort()).toEqual([1, 1, 1, 2]);
  });

  it('stops an attempt past attemptDurationSeconds with SIGTERM, then SIGKILL, and does not retry it', async () => {
    const handlesTerm = await client.send(
      new SubmitJobCommand({ jobName: 'slow-a', jobQueue: 'wordbatch-queue', jobDefinition: 'wordbatch-plan', containerOverrides: { command: nodeScript("process.on('SIGTERM', () => process.exit(143)); setInterval(() => {}, 1000);") } }),
    );
    const ignoresTerm = await client.send(
      new SubmitJobCommand({ jobName: 'slow-b', jobQueue: 'wordbatch-queue', jobDefinition: 'wordbatch-plan', containerOverrides: { command: nodeScript("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);") } }),
    );
    await endpoint.settled();
    for (const [jobId, exitCode] of [
      [handlesTerm.jobId ?? '', 143],
      [ignoresTerm.jobId ?? '', 137],
    ] as const) {
      const job = await describe1(jobId);
      expect({ status: job.status, reason: job.statusReason, exitCode: job.container?.exitCode, attempts: job.attempts?.length }).toEqual({
        status: 'FAILED',
        reason: 'Job attempt duration exceeded timeout',
        exitCode,
        attempts: 1,
      });
    }
  });

  it('pages ListJobs and answers DescribeJobs only for jobs it knows', async () => {
    const array = await client.send(
      new SubmitJobCommand({ jobName: 'many', jobQueue: 'wordbatch-queue', jobDefinition: 'wordbatch-migrate', arrayProperties: { size: 3 }, containerOverrides: { command: nodeScript('process.exit(0)') } }),
    );
    await endpoint.settled();
    const first = await client.send(new ListJobsCommand({ arrayJobId: array.jobId, jobStatus: 'SUCCEEDED', maxResults: 2 }));
    expect(first.jobSummaryList).toHaveLength(2);
    const second = await client.send(new ListJobsCommand({ arrayJobId: array.jobId, jobStatus: 'SUCCEEDED', maxResults: 2, nextToken: first.nextToken }));
    expect(second.jobSummaryList?.map((summary) => summary.arrayProperties?.index)).toEqual([2]);
    expect(second.nextToken).toBeUndefined();
    const { jobs } = await client.send(new DescribeJobsCommand({ jobs: [array.jobId ?? '', 'no-such-job'] }));
    expect(jobs?.map((job) => job.jobId)).toEqual([array.jobId]);
    expect(existsSync(logsDir)).toBe(true);
  });
});
