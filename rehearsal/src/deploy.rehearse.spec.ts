import { join } from 'node:path';
import { runNode, standUp, WORKSPACE, type RehearsalWorld } from './rehearsal-world';

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
});
