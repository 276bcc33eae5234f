import { BatchClient, DescribeJobsCommand, ListJobsCommand, type JobDetail, type JobStatus } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { failedChild, jobDetail, testApi, throttled } from './batch-fakes.spec-helper';
import { formatFailures, formatIndexRanges, formatProgressLine, formatStatus } from './render';
import { describeFailures, describeRun, watchRun, type RunSnapshot } from './watch';

const batch = mockClient(BatchClient);
afterAll(() => batch.restore());

/** The jobs Batch knows, as DescribeJobs would describe them now. */
let world = new Map<string, JobDetail>();
function set(...jobs: JobDetail[]): void {
  for (const job of jobs) world.set(job.jobId ?? '', job);
}

beforeEach(() => {
  batch.reset();
  world = new Map();
  batch.on(DescribeJobsCommand).callsFake((input: { jobs: string[] }) => ({ jobs: input.jobs.flatMap((id) => world.get(id) ?? []) }));
});

const plan = (status: JobStatus, extra: Partial<JobDetail> = {}) => jobDetail('plan-id', 'books-plan', status, extra);
const migrate = (status: JobStatus, statusSummary: Record<string, number>, extra: Partial<JobDetail> = {}) =>
  jobDetail('migrate-id', 'books-migrate', status, {
    dependsOn: [{ jobId: 'plan-id' }],
    arrayProperties: { size: 8, statusSummary },
    command: ['--plan', 's3://dst/plans/books.json'],
    ...extra,
  });
const merge = (status: JobStatus, extra: Partial<JobDetail> = {}) =>
  jobDetail('merge-id', 'books-merge', status, { dependsOn: [{ jobId: 'migrate-id' }], ...extra });

describe('describeRun', () => {
  it('finds the whole run from its last job and orders it by dependencies', async () => {
    set(plan('SUCCEEDED'), migrate('RUNNING', { SUCCEEDED: 3, RUNNING: 5 }), merge('PENDING'));
    const snapshot = await describeRun(testApi(), ['merge-id']);
    expect(snapshot.jobs.map((job) => [job.stage, job.status])).toEqual([
      ['plan', 'SUCCEEDED'],
      ['migrate', 'RUNNING'],
      ['merge', 'PENDING'],
    ]);
    expect(snapshot.outcome).toBe('running');
    expect(batch.commandCalls(DescribeJobsCommand).map((call) => call.args[0].input.jobs)).toEqual([['merge-id'], ['migrate-id'], ['plan-id']]);
  });

  it('names a job Batch does not know', async () => {
    await expect(describeRun(testApi(), ['nope'])).rejects.toThrow(/AWS Batch knows no job nope/);
  });
});

describe('watchRun', () => {
  it('polls until every job has finished, reporting each look, with no real waiting', async () => {
    const looks: RunSnapshot[] = [];
    const states = [
      () => set(plan('RUNNING'), migrate('PENDING', {}), merge('PENDING')),
      () => set(plan('SUCCEEDED'), migrate('RUNNING', { SUCCEEDED: 2, RUNNING: 6 })),
      () => set(migrate('SUCCEEDED', { SUCCEEDED: 8 }), merge('RUNNING')),
      () => set(merge('SUCCEEDED')),
    ];
    states[0]();
    let step = 0;
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
      states[++step]();
    };
    const snapshot = await watchRun(testApi(), ['merge-id'], { sleep, intervalMs: 15_000, signal: new AbortController().signal, onSnapshot: (look) => looks.push(look) });
    expect(snapshot.outcome).toBe('succeeded');
    expect(delays).toEqual([15_000, 15_000, 15_000]);
    expect(looks.map(formatProgressLine)).toEqual([
      'plan RUNNING | migrate [....................] 0/8 | merge PENDING',
      'plan SUCCEEDED | migrate [#####...............] 2/8 | merge PENDING',
      'plan SUCCEEDED | migrate SUCCEEDED | merge RUNNING',
      'plan SUCCEEDED | migrate SUCCEEDED | merge SUCCEEDED',
    ]);
    // After the first look, one DescribeJobs call covers the whole run.
    expect(batch.commandCalls(DescribeJobsCommand).slice(3).map((call) => call.args[0].input.jobs)).toEqual([
      ['plan-id', 'migrate-id', 'merge-id'],
      ['plan-id', 'migrate-id', 'merge-id'],
      ['plan-id', 'migrate-id', 'merge-id'],
    ]);
  });

  it('keeps watching through throttled DescribeJobs calls, backing off', async () => {
    set(plan('SUCCEEDED'), migrate('SUCCEEDED', { SUCCEEDED: 8 }), merge('SUCCEEDED'));
    const describe = batch.on(DescribeJobsCommand);
    describe.rejectsOnce(throttled()).callsFake((input: { jobs: string[] }) => ({ jobs: input.jobs.flatMap((id) => world.get(id) ?? []) }));
    const delays: number[] = [];
    const api = testApi(async (ms) => {
      delays.push(ms);
    });
    const snapshot = await watchRun(api, ['merge-id'], { sleep: async () => undefined, intervalMs: 1, signal: new AbortController().signal, onSnapshot: () => undefined });
    expect(snapshot.outcome).toBe('succeeded');
    expect(delays).toEqual([250]);
  });
});

describe('describeFailures', () => {
  it('names the failed children, their exit codes and log streams, and the merge that never ran', async () => {
    set(
      plan('SUCCEEDED'),
      migrate('FAILED', { SUCCEEDED: 5, FAILED: 3 }),
      merge('FAILED', { statusReason: 'Dependent Job failed' }),
      failedChild('migrate-id', 2, 3, 'migrate/default/aaa'),
      failedChild('migrate-id', 5, 4, 'migrate/default/bbb'),
      failedChild('migrate-id', 6, 3, 'migrate/default/ccc'),
    );
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [6, 2, 5].map((index) => ({ jobId: `migrate-id:${index}`, jobName: 'books-migrate', arrayProperties: { index } })),
    });
    const snapshot = await describeRun(testApi(), ['merge-id']);
    expect(snapshot.outcome).toBe('failed');
    const reports = await describeFailures(testApi(), snapshot);
    expect(batch.commandCalls(ListJobsCommand)[0].args[0].input).toEqual({ arrayJobId: 'migrate-id', jobStatus: 'FAILED', nextToken: undefined });
    expect(batch.commandCalls(DescribeJobsCommand).at(-1)?.args[0].input.jobs).toEqual(['migrate-id:2', 'migrate-id:5', 'migrate-id:6']);
    expect(formatStatus(snapshot)).toBe(
      [
        'Run failed:',
        '  plan     SUCCEEDED  plan-id                               ',
        '  migrate  FAILED     migrate-id                            array of 8: 5 succeeded, 3 failed',
        '  merge    FAILED     merge-id                              Dependent Job failed',
        '',
      ]
        .map((line) => line.trimEnd())
        .join('\n'),
    );
    expect(formatFailures(reports, 'merge-id')).toBe(
      [
        'Failures:',
        '  migrate: 3 of 8 children failed: 2, 5-6',
        '    child 2 exit 3: Essential container in task exited; log stream migrate/default/aaa',
        '    child 5 exit 4: Essential container in task exited; log stream migrate/default/bbb',
        '    child 6 exit 3: Essential container in task exited; log stream migrate/default/ccc',
        '    aws logs get-log-events --log-group-name /aws/batch/wordbatch --log-stream-name STREAM',
        '  merge: did not run: Dependent Job failed',
        'Re-run what failed: wordbatch retry-failed --job merge-id',
        '',
      ].join('\n'),
    );
  });

  it('reports a plan that failed, and its dependents that never ran', async () => {
    set(
      plan('FAILED', { statusReason: 'Essential container in task exited', container: { exitCode: 4, logStreamName: 'plan/default/p1' } }),
      migrate('FAILED', {}, { statusReason: 'Dependent Job failed' }),
      merge('FAILED', { statusReason: 'Dependent Job failed' }),
    );
    const reports = await describeFailures(testApi(), await describeRun(testApi(), ['merge-id']));
    expect(reports.map((report) => [report.job.stage, report.dependencyFailed])).toEqual([
      ['plan', false],
      ['migrate', true],
      ['merge', true],
    ]);
    expect(formatFailures(reports, 'merge-id')).toMatch(/^ {2}plan exit 4: Essential container in task exited; log stream plan\/default\/p1$/m);
    expect(formatFailures(reports, 'merge-id')).not.toMatch(/retry-failed/);
    expect(batch.commandCalls(ListJobsCommand)).toHaveLength(0);
  });
});

describe('formatIndexRanges', () => {
  it('folds consecutive indices into ranges', () => {
    expect(formatIndexRanges([0, 1, 2, 5, 7, 8])).toBe('0-2, 5, 7-8');
    expect(formatIndexRanges([])).toBe('');
  });
});
