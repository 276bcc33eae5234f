import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand, type JobDetail, type SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { runStage, type StageProgram } from '@wordbatch/cli';
import { ExitCode } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { failedChild, fakeSleep, jobDetail, throttled } from './batch-fakes.spec-helper';
import type { AwsCommandDeps } from './command-deps';
import { retryFailedCommand, statusCommand, submitCommand } from './commands';

const batch = mockClient(BatchClient);
afterAll(() => batch.restore());

let world = new Map<string, JobDetail>();
function set(...jobs: JobDetail[]): void {
  for (const job of jobs) world.set(job.jobId ?? '', job);
}

beforeEach(() => {
  batch.reset();
  world = new Map();
  batch.on(DescribeJobsCommand).callsFake((input: { jobs: string[] }) => ({ jobs: input.jobs.flatMap((id) => world.get(id) ?? []) }));
  let next = 0;
  batch.on(SubmitJobCommand).callsFake((input: SubmitJobCommandInput) => ({ jobId: `id-${++next}`, jobName: input.jobName }));
});

class Collect extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

const ENV = { AWS_REGION: 'eu-west-1' };

async function run<Options>(
  command: (deps: AwsCommandDeps) => StageProgram<Options>,
  argv: string[],
  deps: Partial<AwsCommandDeps> = {},
  env: Record<string, string> = ENV,
): Promise<{ code: number; stdout: string; stderr: string; logs: Array<Record<string, unknown>> }> {
  const stdout = new Collect();
  const stderr = new Collect();
  const program = command({ stderr, sleep: fakeSleep(), now: () => new Date('2025-03-14T09:26:53Z'), ...deps });
  const code = await runStage(program, { argv, env, stdout, stderr, signal: new AbortController().signal });
  const logs = stderr.text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, stdout: stdout.text, stderr: stderr.text, logs };
}

const RUN_FLAGS = ['--source', 's3://corpus/books/', '--destination', 's3://results/out', '--shards', '4'];

describe('wordbatch submit', () => {
  it('submits the three jobs and prints their ids, console links and log locations', async () => {
    const { code, stdout } = await run(submitCommand, ['--queue', 'wordbatch-queue', ...RUN_FLAGS, '--name', 'books']);
    expect(code).toBe(ExitCode.Ok);
    expect(batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input.jobName)).toEqual(['books-plan', 'books-migrate', 'books-merge']);
    expect(stdout).toContain('Submitted to wordbatch-queue (eu-west-1):');
    expect(stdout).toMatch(/^ {2}migrate +id-2 +books-migrate \(array of 4, after id-1\)$/m);
    expect(stdout).toContain('https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#jobs/detail/id-3');
    expect(stdout).toContain('aws logs tail /aws/batch/wordbatch --follow --log-stream-name-prefix merge/');
    expect(stdout).toContain('wordbatch status --job id-3 --wait');
  });

  it('names a run after the time when no name or plan is given', async () => {
    await run(submitCommand, ['--queue', 'q', ...RUN_FLAGS]);
    expect(batch.commandCalls(SubmitJobCommand)[0].args[0].input.jobName).toBe('run-20250314-092653-plan');
  });

  it('with --wait, watches the run to its end and exits 0, logging progress when stderr is not a terminal', async () => {
    const states = [
      () => set(jobDetail('id-1', 'books-plan', 'RUNNING'), jobDetail('id-2', 'books-migrate', 'PENDING', { dependsOn: [{ jobId: 'id-1' }], arrayProperties: { size: 4 } }), jobDetail('id-3', 'books-merge', 'PENDING', { dependsOn: [{ jobId: 'id-2' }] })),
      () => set(jobDetail('id-1', 'books-plan', 'SUCCEEDED'), jobDetail('id-2', 'books-migrate', 'RUNNING', { dependsOn: [{ jobId: 'id-1' }], arrayProperties: { size: 4, statusSummary: { SUCCEEDED: 1, RUNNING: 3 } } })),
      () => set(jobDetail('id-2', 'books-migrate', 'SUCCEEDED', { dependsOn: [{ jobId: 'id-1' }], arrayProperties: { size: 4, statusSummary: { SUCCEEDED: 4 } } }), jobDetail('id-3', 'books-merge', 'SUCCEEDED', { dependsOn: [{ jobId: 'id-2' }] })),
    ];
    states[0]();
    let step = 0;
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
      states[++step]();
    };
    const { code, stdout, logs } = await run(submitCommand, ['--queue', 'q', ...RUN_FLAGS, '--name', 'books', '--wait', '--interval', '30'], { sleep });
    expect(code).toBe(ExitCode.Ok);
    expect(delays).toEqual([30_000, 30_000]);
    expect(stdout).toContain('Run succeeded:');
    const progress = logs.filter((line) => line['event'] === 'Batch:Progress');
    expect(progress).toHaveLength(3);
    expect(progress[1]['jobs']).toContainEqual({ stage: 'migrate', jobId: 'id-2', status: 'RUNNING', arraySize: 4, children: { SUCCEEDED: 1, RUNNING: 3 } });
  });

  it('draws a progress bar on a terminal', async () => {
    set(jobDetail('id-1', 'books-plan', 'SUCCEEDED'), jobDetail('id-2', 'books-migrate', 'SUCCEEDED', { dependsOn: [{ jobId: 'id-1' }], arrayProperties: { size: 4, statusSummary: { SUCCEEDED: 4 } } }), jobDetail('id-3', 'books-merge', 'SUCCEEDED', { dependsOn: [{ jobId: 'id-2' }] }));
    const stderr = Object.assign(new Collect(), { isTTY: true });
    const { code } = await run(submitCommand, ['--queue', 'q', ...RUN_FLAGS, '--name', 'books', '--wait'], { stderr });
    expect(code).toBe(ExitCode.Ok);
    expect(stderr.text).toContain('\r\x1b[Kplan SUCCEEDED | migrate SUCCEEDED | merge SUCCEEDED');
  });

  it('with --quiet, draws no progress and logs nothing on a terminal or off one: stdout keeps the outcome', async () => {
    // Two runs are submitted (ids 1-3, then 4-6), and both have succeeded.
    for (const first of [1, 4]) {
      const [plan, migrate, merge] = [first, first + 1, first + 2].map((id) => `id-${id}`);
      set(jobDetail(plan, 'books-plan', 'SUCCEEDED'), jobDetail(migrate, 'books-migrate', 'SUCCEEDED', { dependsOn: [{ jobId: plan }], arrayProperties: { size: 4, statusSummary: { SUCCEEDED: 4 } } }), jobDetail(merge, 'books-merge', 'SUCCEEDED', { dependsOn: [{ jobId: migrate }] }));
    }
    for (const isTTY of [true, false]) {
      const stderr = Object.assign(new Collect(), { isTTY });
      const submitted = await run(submitCommand, ['--queue', 'q', ...RUN_FLAGS, '--name', 'books', '--wait', '--quiet'], { stderr });
      expect([submitted.code, stderr.text, submitted.stderr]).toEqual([ExitCode.Ok, '', '']);
      expect(submitted.stdout).toContain('Run succeeded:');
      const statusErr = Object.assign(new Collect(), { isTTY });
      const status = await run(statusCommand, ['--job', 'id-3', '--wait', '--quiet'], { stderr: statusErr });
      expect([status.code, statusErr.text, status.stderr]).toEqual([ExitCode.Ok, '', '']);
    }
  });

  it('prints the requests with --dry-run and calls nothing', async () => {
    const { code, stdout } = await run(submitCommand, ['--queue', 'q', ...RUN_FLAGS, '--name', 'books', '--dry-run'], {}, {});
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(stdout)).toHaveLength(3);
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
  });

  it('finds queue, job definitions and log group in the infrastructure outputs', async () => {
    const outputs = {
      job_queue: { value: 'wb-test-queue' },
      job_definition_names: { value: { plan: 'wb-test-plan', migrate: 'wb-test-migrate', merge: 'wb-test-merge' } },
      log_group: { value: '/aws/batch/wb-test' },
      region: { value: 'eu-west-1' },
    };
    const readTextFile = async (path: string) => {
      expect(path).toBe('outputs.json');
      return JSON.stringify(outputs);
    };
    const { code, stdout } = await run(submitCommand, ['--infra-outputs', 'outputs.json', ...RUN_FLAGS, '--name', 'b', '--merge-job-definition', 'custom-merge:4'], { readTextFile });
    expect(code).toBe(ExitCode.Ok);
    expect(batch.commandCalls(SubmitJobCommand).map((call) => [call.args[0].input.jobQueue, call.args[0].input.jobDefinition])).toEqual([
      ['wb-test-queue', 'wb-test-plan'],
      ['wb-test-queue', 'wb-test-migrate'],
      ['wb-test-queue', 'custom-merge:4'],
    ]);
    expect(stdout).toContain('aws logs tail /aws/batch/wb-test');
  });

  it('submits one stage of the seed workflow, waiting for the given job', async () => {
    const { code } = await run(submitCommand, ['migrate', '--queue', 'q', '--plan', 's3://results/plans/docs.json', '--shards', '2', '--depends-on', 'plan-job']);
    expect(code).toBe(ExitCode.Ok);
    expect(batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input)).toEqual([
      {
        jobName: 'docs-migrate',
        jobQueue: 'q',
        jobDefinition: 'wordbatch-migrate',
        containerOverrides: { command: ['--plan', 's3://results/plans/docs.json'] },
        arrayProperties: { size: 2 },
        dependsOn: [{ jobId: 'plan-job' }],
      },
    ]);
  });

  it.each([
    [[...RUN_FLAGS], /--queue is required/],
    [['--queue', 'q', '--destination', 's3://results/out/'], /--source is required/],
    [['--queue', 'q', ...RUN_FLAGS, '--name', 'bad name'], /--name must be/],
    [['--queue', 'q', ...RUN_FLAGS, '--share-identifier', 'team*'], /--share-identifier must be/],
    [['migrate', '--queue', 'q', '--plan', 's3://results/plans/docs.json'], /--shards is required/],
    [['merge', '--queue', 'q', '--plan', 's3://r/p.json', '--destination', 's3://r/out/', '--source', 's3://x/'], /--destination was given more than once/],
    [['merge', '--queue', 'q', '--plan', 's3://r/p.json', '--destination', 's3://r/out/', '--sotpwords', 'a'], /unknown flag --sotpwords \(did you mean --stopwords\?\)/],
    // Merge's own checks run on what submit would hand it, before anything is submitted (also with --dry-run).
    [['--queue', 'q', ...RUN_FLAGS, '--top', 'abc', '--dry-run'], /--top must be a whole number, got "abc"/],
    [['--queue', 'q', ...RUN_FLAGS, '--top', '0', '--dry-run'], /--top must be between 1 and/],
    [['--queue', 'q', ...RUN_FLAGS, '--format', 'yaml', '--dry-run'], /--format must be one of table, json, csv/],
    [['--queue', 'q', ...RUN_FLAGS, '--output', 'yaml', '--dry-run'], /--format must be one of table, json, csv/],
    [['--queue', 'q', ...RUN_FLAGS, '--min-count', 'abc', '--dry-run'], /--min-count must be a whole number/],
    [['--queue', 'q', '--source', 's3://corpus/books/', '--destination', 's3://results/out/', '--shards', '-1', '--dry-run'], /--shards must be between 1 and 10000, got -1/],
    [['--queue', 'q', '--source', 's3://corpus/books/', '--destination', 's3://corpus/books/out/', '--dry-run'], /overlaps the source/],
  ])('refuses %j as a usage error', async (argv, message) => {
    const { code, stderr } = await run(submitCommand, argv);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toMatch(message);
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
  });

  it('exits 75 when Batch keeps throttling', async () => {
    batch.on(SubmitJobCommand).rejects(throttled());
    const { code, stderr } = await run(submitCommand, ['--queue', 'q', ...RUN_FLAGS, '--name', 'books']);
    expect(code).toBe(ExitCode.Transient);
    expect(stderr).toMatch(/kept throttling SubmitJob/);
  });
});

const failedRun = () =>
  set(
    jobDetail('plan-id', 'books-plan', 'SUCCEEDED'),
    jobDetail('migrate-id', 'books-migrate', 'FAILED', {
      dependsOn: [{ jobId: 'plan-id' }],
      arrayProperties: { size: 8, statusSummary: { SUCCEEDED: 6, FAILED: 2 } },
      command: ['--plan', 's3://dst/plans/books.json'],
    }),
    jobDetail('merge-id', 'books-merge', 'FAILED', {
      dependsOn: [{ jobId: 'migrate-id' }],
      statusReason: 'Dependent Job failed',
      command: ['--destination', 's3://dst/out/', '--plan', 's3://dst/plans/books.json'],
    }),
    failedChild('migrate-id', 3, 3, 'migrate/default/t3'),
    failedChild('migrate-id', 7, 75, 'migrate/default/t7'),
  );

describe('wordbatch status', () => {
  it('exits 5 after a failure, naming the failed children and their log streams', async () => {
    failedRun();
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [3, 7].map((index) => ({ jobId: `migrate-id:${index}`, jobName: 'x', arrayProperties: { index } })) });
    const { code, stdout, stderr } = await run(statusCommand, ['--job', 'merge-id']);
    expect(code).toBe(ExitCode.Incomplete);
    expect(stdout).toContain('migrate: 2 of 8 children failed: 3, 7');
    expect(stdout).toContain('child 7 exit 75: Essential container in task exited; log stream migrate/default/t7');
    expect(stderr).toMatch(/the run failed \(migrate\).*retry-failed --job merge-id/);
  });

  it('exits 75 while the run is still going, and 2 for an unknown job', async () => {
    set(jobDetail('plan-id', 'books-plan', 'RUNNABLE'));
    expect((await run(statusCommand, ['--job', 'plan-id'])).code).toBe(ExitCode.Transient);
    expect((await run(statusCommand, ['--job', 'other-id'])).code).toBe(ExitCode.Usage);
    expect((await run(statusCommand, [])).stderr).toMatch(/--job is required/);
  });
});

describe('wordbatch retry-failed over S3', () => {
  let server: LocalS3;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'wordbatch-retry-'));
    server = await startLocalS3({ directory, buckets: ['dst'] });
    const store = new ObjectStore(createS3Client(server.env));
    const header = {
      version: 1,
      kind: 'wordbatch-plan',
      id: 'p-books',
      createdAt: '2025-01-01T00:00:00.000Z',
      source: 's3://src/books/',
      destination: 's3://dst/out/',
      shardLists: 's3://dst/plans/books/',
      settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
      shardCount: 8,
      totals: { files: 8, bytes: 800 },
    };
    await store.put({ bucket: 'dst', key: 'plans/books.json' }, JSON.stringify(header));
    store.destroy();
  });

  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes the map of failed shards to S3 and submits migrate over it, then merge', async () => {
    failedRun();
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [3, 7].map((index) => ({ jobId: `migrate-id:${index}`, jobName: 'x', arrayProperties: { index } })) });
    const { code, stdout } = await run(retryFailedCommand, ['--job', 'merge-id'], {}, { ...server.env, AWS_REGION: 'eu-west-1' });
    expect(code).toBe(ExitCode.Ok);
    expect(stdout).toContain('Re-running migrate for children 3, 7 (shards 3, 7) over s3://dst/out/p-books/retries/retry-1.json, then merge.');
    const store = new ObjectStore(createS3Client(server.env));
    expect(JSON.parse(await store.readText({ bucket: 'dst', key: 'out/p-books/retries/retry-1.json' }))).toEqual([3, 7]);
    store.destroy();
    const requests = batch.commandCalls(SubmitJobCommand).map((call) => call.args[0].input);
    expect(requests.map((request) => [request.jobName, request.arrayProperties?.size, request.containerOverrides?.command?.slice(-2)])).toEqual([
      ['books-retry1-migrate', 2, ['--index-map', 's3://dst/out/p-books/retries/retry-1.json']],
      ['books-retry1-merge', undefined, ['--plan', 's3://dst/plans/books.json']],
    ]);
  });

  it('writes and submits nothing with --dry-run', async () => {
    failedRun();
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [{ jobId: 'migrate-id:3', jobName: 'x', arrayProperties: { index: 3 } }] });
    const { code, stdout } = await run(retryFailedCommand, ['--job', 'merge-id', '--dry-run'], {}, { ...server.env, AWS_REGION: 'eu-west-1' });
    expect(code).toBe(ExitCode.Ok);
    expect(stdout).toContain('Would re-run migrate for children 3 (shards 3) over s3://dst/out/p-books/retries/retry-1.json, then merge:');
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
  });
});

describe('wordbatch submit --dry-run, cost estimate', () => {
  let directory: string;
  let s3: LocalS3;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'wordbatch-estimate-'));
    s3 = await startLocalS3({ directory, buckets: ['corpus'] });
    const store = new ObjectStore(createS3Client(s3.env));
    for (const [key, body] of [['books/a.txt', 'x'.repeat(100)], ['books/b.txt', 'y'.repeat(50)], ['books/skip.log', 'z'], ['other/c.txt', 'c']]) {
      await store.put({ bucket: 'corpus', key }, body);
    }
    store.destroy();
  });
  afterAll(async () => {
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lists the source as plan would and logs objects, requests, hours and dollars; stdout stays the requests', async () => {
    const args = ['--queue', 'q', '--source', 's3://corpus/books/', '--destination', 's3://results/out', '--shards', '2', '--exclude', '*.log', '--name', 'b', '--dry-run'];
    const { code, stdout, stderr, logs } = await run(submitCommand, [...args, '--price', 'get-1000=1'], {}, s3.env);
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(stdout)).toHaveLength(3);
    const estimate = logs.find((line) => line['event'] === 'Submit:CostEstimated');
    expect(estimate).toMatchObject({ objects: 2, bytes: 150, shards: 2, requests: { list: 2, get: 2 + 3 * 2 + 1, put: 2 + 2 + 2 + 1 } });
    expect(stderr).toContain('Estimated cost');
    expect(stderr).toContain('GET 9');
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
    // The prices reach merge, which prices the run's actuals with them.
    const mergeRequest = JSON.parse(stdout).find((request: { jobName: string }) => request.jobName === 'b-merge');
    expect(mergeRequest.containerOverrides.command).toEqual(expect.arrayContaining(['--price', 'get-1000=1']));
    const quiet = await run(submitCommand, [...args, '--price', 'get-1000=1', '--quiet'], {}, s3.env);
    expect([quiet.code, quiet.stderr, quiet.stdout]).toEqual([ExitCode.Ok, '', stdout]);
  });

  it('leaves the estimate out, with a warning, when the source cannot be listed', async () => {
    const args = ['--queue', 'q', '--source', 's3://no-such-bucket/books/', '--destination', 's3://results/out', '--name', 'b', '--dry-run'];
    const { code, logs } = await run(submitCommand, args, {}, s3.env);
    expect(code).toBe(ExitCode.Ok);
    expect(logs.find((line) => line['event'] === 'Submit:CostUnknown')).toMatchObject({ source: 's3://no-such-bucket/books/' });
  });
});
