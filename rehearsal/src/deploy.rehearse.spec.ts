import { BatchClient, DescribeJobsCommand, SubmitJobCommand, type JobDetail } from '@aws-sdk/client-batch';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLeastPrivilege, leastPrivilege } from './iam/least-privilege';
import { ACCOUNT, runNode, standUp, WORKSPACE, type RehearsalWorld } from './rehearsal-world';

// `npm run rehearse`: the first deploy, rehearsed on this machine. The real stack is
// synthesized and read; its job definitions run with podman behind a local Batch endpoint;
// every S3 call goes through a front enforcing the synthesized IAM policies. Each scenario is
// a step of the first-deploy checklist in docs/aws-batch.md.

jest.setTimeout(900_000);

// The operator's sandbox settings for the rehearsal: merge may run one minute (the Batch
// minimum), so that the timeout scenario does not take an hour.
const SETTINGS = { WORDBATCH_MERGE_TIMEOUT_SECONDS: '60' };

interface JobsSubmitted {
  readonly plan: string;
  readonly migrate: string;
  readonly merge: string;
}

/**
 * A document of `count` distinct 13-letter words ("qaaaaaaaaaaaa", …): its shard result is
 * one 16-byte line per word, so 1.1 million of them make a result over 16 MiB, which migrate
 * writes as a multipart upload.
 */
async function writeDistinctWords(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const word = (n: number) => {
    let text = '';
    for (let place = 0; place < 12; place++, n = Math.floor(n / 26)) text = letters[n % 26] + text;
    return `q${text}`;
  };
  for (let start = 0; start < count; start += 100_000) {
    const words: string[] = [];
    for (let n = start; n < Math.min(count, start + 100_000); n++) words.push(word(n));
    if (!out.write(`${words.join(' ')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function jobIdsFrom(stdout: string): JobsSubmitted {
  const ids = (stage: string) => new RegExp(`\\b${stage}\\b[^\\n]*?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`).exec(stdout)?.[1] ?? '';
  return { plan: ids('plan'), migrate: ids('migrate'), merge: ids('merge') };
}

describe('the first deploy, rehearsed', () => {
  let world: RehearsalWorld;
  let source: string;
  let destination: string;
  const started = Date.now();
  const timings: string[] = [];
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      timings.push(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  };

  beforeAll(async () => {
    world = await step('stand up (synth, apply, push images, endpoints)', () => standUp(SETTINGS));
    source = String(world.stack.outputs['source_bucket']?.value);
    destination = String(world.stack.outputs['destination_bucket']?.value);
  });

  afterAll(async () => {
    await world?.close();
    process.stdout.write(`rehearsal timings:\n  ${timings.join('\n  ')}\n  total: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  it('reads the synthesized stack: three hardened job definitions on one queue, images pushed under their repository URLs', () => {
    const { stack } = world;
    expect(stack.jobQueues.map((queue) => queue.name)).toEqual([world.stack.outputs['job_queue']?.value]);
    expect(stack.jobDefinitions.map((definition) => definition.name).sort()).toEqual(['wordbatch-merge', 'wordbatch-migrate', 'wordbatch-plan']);
    for (const definition of stack.jobDefinitions) {
      expect(definition.containerProperties.image).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/wordbatch-(plan|migrate|merge):/);
      expect(definition.containerProperties.readonlyRootFilesystem).toBe(true);
      expect(definition.containerProperties.jobRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\/wordbatch-(plan|migrate|merge)-job$/);
    }
    expect(world.images).toHaveLength(3);
  });

  it('runs the whole pipeline from `wordbatch submit --infra-outputs … --wait`, with the same result as `npm start`', async () => {
    const submitted = await step('pipeline on documents/', () =>
      world.wordbatch(['submit', '--infra-outputs', world.outputsFile, '--source', `s3://${source}/documents/`, '--destination', `s3://${destination}/out/`, '--shards', '2', '--name', 'rehearsal-docs', '--wait', '--interval', '1']),
    );
    expect({ code: submitted.code, stderr: submitted.code === 0 ? '' : submitted.stderr }).toEqual({ code: 0, stderr: '' });
    const jobs = jobIdsFrom(submitted.stdout);
    // The status sequence Batch documents, for a plain job and for an array child.
    expect(world.batch.historyOf(jobs.plan)).toEqual(['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(world.batch.historyOf(`${jobs.migrate}:1`)).toEqual(['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(world.batch.historyOf(jobs.migrate)).toEqual(['SUBMITTED', 'PENDING', 'RUNNING', 'SUCCEEDED']);

    const local = await step('npm start on documents/', () =>
      runNode(join(WORKSPACE, 'dist/apps/wordbatch/main.js'), ['local', join(WORKSPACE, 'documents'), '--shards', '2', '--output', 'json'], { PATH: process.env['PATH'] ?? '' }, ['--openssl-legacy-provider']),
    );
    expect(local.code).toBe(0);
    const expected = JSON.parse(local.stdout) as { words: unknown; totals: unknown };
    const resultKeys: string[] = [];
    for await (const object of world.store.list({ bucket: destination, key: 'out/' })) if (object.key.endsWith('/result.json')) resultKeys.push(object.key);
    expect(resultKeys).toHaveLength(1);
    const result = JSON.parse(await world.store.readText({ bucket: destination, key: resultKeys[0] })) as { words: unknown; totals: unknown };
    expect(result.words).toEqual(expected.words);
    expect(result.totals).toEqual(expected.totals);
  });

  describe('under failure', () => {
    let batchClient: BatchClient;
    let timeoutJob: Promise<JobDetail>;
    let failedRun: JobsSubmitted;
    const describeJob = async (jobId: string): Promise<JobDetail> => (await batchClient.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0] ?? ({} as JobDetail);
    const waitFor = async (jobId: string): Promise<JobDetail> => {
      for (;;) {
        const job = await describeJob(jobId);
        if (job.status === 'SUCCEEDED' || job.status === 'FAILED') return job;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    let tampered = false;

    beforeAll(async () => {
      batchClient = new BatchClient({ region: world.stack.region, endpoint: world.batchUrl, credentials: { accessKeyId: 'operator', secretAccessKey: 'operator' }, maxAttempts: 3 });
      const queue = String(world.stack.outputs['job_queue']?.value);
      const definitions = world.stack.outputs['job_definition_names']?.value as Record<string, string>;
      world.faults = (attempt, call, url) => {
        const stage = attempt.definition.name.split('-').at(-1);
        // The big shard's first attempt: its multipart upload fails at part 2, for good.
        if (stage === 'migrate' && attempt.jobName === 'rehearsal-faults-migrate' && attempt.attempt === 1 && call.operation === 'UploadPart' && url.searchParams.get('partNumber') === '2') {
          return { kind: 'error', status: 500, code: 'InternalError' };
        }
        // Child 1 of the failing run reads a tampered shard list, once.
        if (stage === 'migrate' && attempt.arrayIndex === 1 && attempt.jobName === 'rehearsal-faults-migrate' && call.operation === 'GetObject' && /\/shard-00001\.json$/.test(call.key ?? '') && !tampered) {
          tampered = true;
          return { kind: 'body', body: '{"tampered":true}' };
        }
        // The timeout scenario's merge never gets an answer to its listing.
        if (attempt.jobName === 'rehearsal-timeout-merge' && call.operation === 'ListObjectsV2') return { kind: 'stall' };
        return undefined;
      };
      // Submitted first, so that its minute runs alongside the failing run.
      const submitted = await batchClient.send(
        new SubmitJobCommand({ jobName: 'rehearsal-timeout-merge', jobQueue: queue, jobDefinition: definitions['merge'], containerOverrides: { command: ['--source', `s3://${destination}/out/`] } }),
      );
      timeoutJob = waitFor(submitted.jobId ?? '');

      const dir = mkdtempSync(join(tmpdir(), 'wordbatch-rehearsal-big-'));
      await writeDistinctWords(join(dir, 'big.txt'), 1_100_000);
      await world.store.putFile({ bucket: source, key: 'rehearsal-faults/big.txt' }, join(dir, 'big.txt'));
      await world.store.put({ bucket: source, key: 'rehearsal-faults/small.txt' }, readFileSync(join(WORKSPACE, 'README.md')));
    });

    afterAll(() => batchClient?.destroy());

    it('retries a shard whose multipart result upload failed mid-way (exit 75), and never retries bad input (exit 2)', async () => {
      const run = await step('failing run (multipart fault, tampered shard list)', () =>
        world.wordbatch(['submit', '--infra-outputs', world.outputsFile, '--source', `s3://${source}/rehearsal-faults/`, '--destination', `s3://${destination}/out/`, '--shards', '2', '--name', 'rehearsal-faults', '--wait', '--interval', '1']),
      );
      failedRun = jobIdsFrom(run.stdout);
      expect(run.code).toBe(5);
      const big = await describeJob(`${failedRun.migrate}:0`);
      expect({ status: big.status, exitCodes: big.attempts?.map((attempt) => attempt.container?.exitCode) }).toEqual({ status: 'SUCCEEDED', exitCodes: [75, 0] });
      // The failed upload was aborted (allowed), so the transient error surfaced, not AccessDenied.
      const firstAttempt = world.front.calls.filter((call) => call.session === 'rehearsal-faults-migrate[0] attempt 1');
      expect(firstAttempt.filter((call) => call.operation === 'CreateMultipartUpload').map((call) => [call.allowed, call.status])).toEqual([[true, 200]]);
      expect(firstAttempt.filter((call) => call.operation === 'AbortMultipartUpload').map((call) => [call.allowed, call.status])).toEqual([[true, 204]]);
      let largestResult = 0;
      for await (const object of world.store.list({ bucket: destination, key: 'out/' })) if (object.key.includes('/shards/')) largestResult = Math.max(largestResult, object.size);
      expect(largestResult).toBeGreaterThan(16 * 1024 * 1024);
      expect(firstAttempt.some((call) => !call.allowed)).toBe(false);
      const bad = await describeJob(`${failedRun.migrate}:1`);
      expect({ status: bad.status, exitCodes: bad.attempts?.map((attempt) => attempt.container?.exitCode) }).toEqual({ status: 'FAILED', exitCodes: [2] });
      expect(await describeJob(failedRun.merge)).toMatchObject({ status: 'FAILED', statusReason: 'Dependent Job failed' });
    });

    it('`wordbatch status` names the failed index and its log stream; `retry-failed` re-runs only that index, then merge', async () => {
      const bad = await describeJob(`${failedRun.migrate}:1`);
      const stream = bad.container?.logStreamName ?? '';
      expect(stream).toMatch(/^migrate\/default\/[0-9a-f]{32}$/);
      const status = await world.wordbatch(['status', '--job', failedRun.merge]);
      expect(status.code).toBe(5);
      expect(status.stdout).toContain(stream);
      expect(status.stdout).toMatch(/\b1\b/);
      // The stream it names holds the stage's one-line error.
      const logGroup = String(world.stack.outputs['log_group']?.value);
      expect(readFileSync(join(world.logsDir, logGroup, stream), 'utf8')).toMatch(/shard-00001\.json/);

      const before = world.batch.allJobs().length;
      const retry = await step('retry-failed', () => world.wordbatch(['retry-failed', '--job', failedRun.merge, '--wait', '--interval', '1']));
      expect({ code: retry.code, stderr: retry.code === 0 ? '' : retry.stderr }).toEqual({ code: 0, stderr: '' });
      const rerun = world.batch.allJobs().slice(before);
      expect(rerun.map((job) => [job.definition, job.status, job.attempts])).toEqual([
        ['wordbatch-migrate', 'SUCCEEDED', 1],
        ['wordbatch-merge', 'SUCCEEDED', 1],
      ]);
    });

    it('ends a job past its timeout with 143 (SIGTERM), and does not retry it', async () => {
      const job = await step('timeout (waited alongside)', () => timeoutJob);
      expect({ status: job.status, reason: job.statusReason, exitCodes: job.attempts?.map((attempt) => attempt.container?.exitCode) }).toEqual({
        status: 'FAILED',
        reason: 'Job attempt duration exceeded timeout',
        exitCodes: [143],
      });
    });

    it('answers merge\'s mistyped --plan with 404, so it exits 3 (missing input), not 4', async () => {
      const queue = String(world.stack.outputs['job_queue']?.value);
      const definitions = world.stack.outputs['job_definition_names']?.value as Record<string, string>;
      const submitted = await batchClient.send(
        new SubmitJobCommand({
          jobName: 'rehearsal-missing-plan-merge',
          jobQueue: queue,
          jobDefinition: definitions['merge'],
          containerOverrides: { command: ['--source', `s3://${destination}/out/`, '--plan', `s3://${destination}/plans/no-such-plan.json`] },
        }),
      );
      const job = await step('missing --plan', () => waitFor(submitted.jobId ?? ''));
      expect({ status: job.status, exitCodes: job.attempts?.map((attempt) => attempt.container?.exitCode) }).toEqual({ status: 'FAILED', exitCodes: [3] });
      expect(world.front.calls.find((call) => call.session.startsWith('rehearsal-missing-plan-merge') && call.missingObjectCheck)).toMatchObject({ action: 's3:ListBucket', allowed: true, status: 404 });
    });

    it('denies a stage run under another stage\'s role, which exits 4 and is not retried', async () => {
      const queue = String(world.stack.outputs['job_queue']?.value);
      const definitions = world.stack.outputs['job_definition_names']?.value as Record<string, string>;
      world.roleOverrides.set('rehearsal-wrong-role-plan', 'merge');
      const submitted = await batchClient.send(
        new SubmitJobCommand({
          jobName: 'rehearsal-wrong-role-plan',
          jobQueue: queue,
          jobDefinition: definitions['plan'],
          containerOverrides: { command: ['--source', `s3://${source}/documents/`, '--destination', `s3://${destination}/out/`, '--plan', `s3://${destination}/plans/wrong-role.json`, '--shards', '1'] },
        }),
      );
      const job = await step('wrong role', () => waitFor(submitted.jobId ?? ''));
      expect({ status: job.status, exitCodes: job.attempts?.map((attempt) => attempt.container?.exitCode) }).toEqual({ status: 'FAILED', exitCodes: [4] });
      const denied = world.front.calls.filter((call) => call.stage === 'plan as merge' && !call.allowed);
      expect(denied[0]).toMatchObject({ action: 's3:ListBucket', resource: `arn:aws:s3:::${source}` });
    });
  });

  it('observes least privilege: every granted permission was used, or the stack says why it is kept', () => {
    const uses = leastPrivilege(world.stack.roles, (role) => /-(plan|migrate|merge)-job$/.exec(role.name)?.[1], world.front.calls);
    process.stdout.write(`least privilege, granted vs used per stage:\n${formatLeastPrivilege(uses)}\n`);
    expect(uses.map((use) => use.stage).sort()).toEqual(['merge', 'migrate', 'plan']);
    expect(uses.flatMap((use) => use.unjustified.map((grant) => `${use.stage}: ${grant.action} ${grant.resource}`))).toEqual([]);
    // And nothing a stage did under its own role was denied.
    expect(world.front.calls.filter((call) => !call.allowed && !call.stage.includes(' as ')).map((call) => `${call.session} ${call.action} ${call.resource}`)).toEqual([]);
    expect(ACCOUNT).toMatch(/^\d{12}$/);
    expect(existsSync(world.logsDir)).toBe(true);
  });
});
