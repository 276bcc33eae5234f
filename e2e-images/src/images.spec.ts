/**
 * The three stage images, run for real: podman (as root, with runc) starts the images, not the
 * bundles, against the embedded S3 server (s3rver) that this test process starts on 127.0.0.1;
 * the containers reach it through the host network.
 *
 * The images must be built first, on the base named by WORDBATCH_NODE_BASE: `npm run test:images`
 * (tools/containers/ci-images.sh) installs podman, builds a stand-in base from this machine's
 * node, builds the images and runs this suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { describePipeline, STAGE_NAMES, type StageInvocation, type StageName } from '@wordbatch/pipeline';
import { parseS3Path } from '@wordbatch/s3-path';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { inspectImage, listImageFiles, podman, run, runContainer, type ContainerRun } from './podman';

const REPOSITORY_ROOT = resolve(__dirname, '../..');
const BASE = process.env['WORDBATCH_NODE_BASE'] ?? 'localhost/wordbatch-node-base:test';
const SOURCE_BUCKET = 'images-source';
const RESULTS_BUCKET = 'images-results';
const NONROOT = 65532;
/** The bundle is ~1.3 MB: anything near this means something besides it got into the layer. */
const MAX_LAYER_BYTES = 5_000_000;

const image = (stage: StageName) => `wordbatch-${stage}:latest`;

/** Six files whose counts are known by hand; unicode tokenizer, merge's default filters. */
const CORPUS: Record<string, string> = {
  'a.txt': 'The wordbatch container of the shard\n',
  'b.txt': 'wordbatch wordbatch Café image\n',
  'c.txt': 'container container the of\n',
  'deep/e.txt': 'wordbatch café shard the\n',
  'f.txt': 'Wordbatch, container; the image of Café.\n',
  'g.txt': 'wordbatch wordbatch shard the café container of\n',
};
/** min-length 3 drops "of", min-count 3 drops "image", the stopwords drop "the". */
const EXPECTED_ROWS = [
  ['wordbatch', 7],
  ['container', 5],
  ['café', 4],
  ['shard', 3],
];

const sizes: string[] = [];

afterAll(() => {
  if (sizes.length > 0) process.stderr.write(`\nimage sizes (base ${BASE}):\n${sizes.join('\n')}\n`);
});

describe.each(STAGE_NAMES)('the %s image', (stage) => {
  it('is its base plus one layer that holds only /app/main.js, tagged latest and by commit', async () => {
    const [built, base] = await Promise.all([inspectImage(image(stage)), inspectImage(BASE)]);
    expect(built.layers.slice(0, -1)).toEqual(base.layers);
    expect(built.layers).toHaveLength(base.layers.length + 1);
    const diff = await podman(['image', 'diff', image(stage), BASE]);
    expect(diff.stdout.trim().split('\n').sort()).toEqual(['A /app', 'A /app/main.js']);
    expect(built.size - base.size).toBeLessThan(MAX_LAYER_BYTES);
    sizes.push(`  ${image(stage)}: ${megabytes(built.size)} in all, ${megabytes(built.size - base.size)} above the base`);

    const commitTags = built.repoTags.filter((tag) => /:[0-9a-f]{7,}(-dirty)?$/.test(tag));
    expect(commitTags.length).toBeGreaterThan(0);
    expect(built.labels['org.opencontainers.image.revision']).toMatch(/^[0-9a-f]{40}$/);
  });

  it('runs the bundle as uid 65532 and passes its exit code through (a bad flag is 2)', async () => {
    const built = await inspectImage(image(stage));
    expect(built.user).toBe(`${NONROOT}:${NONROOT}`);
    expect(built.entrypoint).toEqual(['/nodejs/bin/node', '/app/main.js']);
    const usage = await runContainer(`wordbatch-e2e-usage-${stage}-${process.pid}`, image(stage), ['--no-such-flag'], {});
    expect(usage).toMatchObject({ code: 2, uid: NONROOT, gid: NONROOT });
    expect(usage.stderr).toContain(`wordbatch ${stage}: error: unknown flag --no-such-flag`);
  });

  it('holds no node_modules, npm, sources or shell', async () => {
    const files = await listImageFiles(image(stage));
    expect(files).toContain('app/main.js');
    expect(files.filter((file) => file.startsWith('app/'))).toEqual(['app/main.js']);
    expect(files.filter((file) => /(^|\/)(node_modules|npm|npx)(\/|$)/.test(file))).toEqual([]);
    expect(files.filter((file) => /\.ts$/.test(file))).toEqual([]);
    expect(files.filter((file) => /^(usr\/)?bin\/(sh|bash|dash|busybox)$/.test(file))).toEqual([]);
  });
});

describe('the pipeline in containers, against the embedded S3 server on loopback', () => {
  let dataDir: string;
  let server: LocalS3;
  let store: ObjectStore;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wordbatch-images-'));
    server = await startLocalS3({ directory: join(dataDir, 's3'), buckets: [SOURCE_BUCKET, RESULTS_BUCKET] });
    store = new ObjectStore(createS3Client(server.env));
    for (const [key, text] of Object.entries(CORPUS)) await store.put({ bucket: SOURCE_BUCKET, key }, text);
  });

  afterAll(async () => {
    store?.client.destroy();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs plan, three migrate children and merge as non-root and prints the expected table', async () => {
    const pipeline = describePipeline({
      source: parseS3Path(`s3://${SOURCE_BUCKET}/`),
      destination: parseS3Path(`s3://${RESULTS_BUCKET}/out/`),
      shards: 3,
      name: 'images',
    });
    const runs: { label: string; result: ContainerRun }[] = [];
    const runStage = async (invocation: StageInvocation, arrayIndex?: number) => {
      const env = { ...server.env, ...(arrayIndex === undefined ? {} : { AWS_BATCH_JOB_ARRAY_INDEX: String(arrayIndex) }) };
      const label = arrayIndex === undefined ? invocation.stage : `${invocation.stage}-${arrayIndex}`;
      const result = await runContainer(`wordbatch-e2e-${label}-${process.pid}`, image(invocation.stage), invocation.args, env);
      runs.push({ label, result });
      if (result.code !== 0) throw new Error(`${label} exited ${result.code}:\n${result.stderr}`);
      return result;
    };

    const [plan, migrate, merge] = pipeline.stages;
    expect(migrate.arraySize).toBe(3);
    await runStage(plan);
    // Concurrently, as Batch runs an array job's children.
    await Promise.all([...Array(migrate.arraySize).keys()].map((index) => runStage(migrate, index)));
    const merged = await runStage(merge);

    expect(runs.map(({ label }) => label).sort()).toEqual(['merge', 'migrate-0', 'migrate-1', 'migrate-2', 'plan']);
    for (const { result } of runs) expect({ uid: result.uid, gid: result.gid }).toEqual({ uid: NONROOT, gid: NONROOT });

    const shardResults: string[] = [];
    for await (const object of store.list({ bucket: RESULTS_BUCKET, key: 'out/' })) {
      if (/\/shards\/shard-\d+\.tsv$/.test(object.key)) shardResults.push(object.key);
    }
    expect(shardResults).toHaveLength(3);

    expect(tableRows(merged.stdout)).toEqual(EXPECTED_ROWS);
    const bytes = Object.values(CORPUS).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(merged.stdout).toContain(`31 words (7 distinct) in 6 files, ${bytes} bytes; plan `);
  });

  it('reports a missing source bucket with exit code 3, which Batch does not retry', async () => {
    const plan = describePipeline({
      source: parseS3Path('s3://no-such-bucket/'),
      destination: parseS3Path(`s3://${RESULTS_BUCKET}/out/`),
      shards: 2,
      name: 'missing',
    })
      .stages[0];
    const result = await runContainer(`wordbatch-e2e-missing-${process.pid}`, image('plan'), plan.args, server.env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no-such-bucket');
  });
});

describe('wordbatch local --runtime container', () => {
  it('counts documents/ in the stage images exactly as the stage processes do', async () => {
    const dataDirs = [mkdtempSync(join(tmpdir(), 'wordbatch-local-container-')), mkdtempSync(join(tmpdir(), 'wordbatch-local-process-'))];
    try {
      const local = (dataDir: string, ...flags: string[]) =>
        run(
          process.execPath,
          ['--openssl-legacy-provider', 'dist/apps/wordbatch/main.js', 'local', 'documents', '--shards', '2', '--data-dir', dataDir, ...flags],
          { cwd: REPOSITORY_ROOT },
        );
      const inContainers = await local(dataDirs[0], '--runtime', 'container', '--engine', 'podman');
      expect(inContainers).toMatchObject({ code: 0 });
      const inProcesses = await local(dataDirs[1], '--runtime', 'process');
      expect(inProcesses).toMatchObject({ code: 0 });
      expect(tableRows(inContainers.stdout).length).toBeGreaterThan(0);
      expect(inContainers.stdout).toBe(inProcesses.stdout);
    } finally {
      for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The [word, count] rows of merge's table, header left out. */
function tableRows(table: string): [string, number][] {
  return table
    .split('\n')
    .map((line) => /^│ (.+?) +│ +(\d+) │$/u.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], Number(match[2])]);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
