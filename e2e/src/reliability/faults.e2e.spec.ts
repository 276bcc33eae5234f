import { putObjects, startTestS3, type TestS3 } from '../harness';
import { referenceCounts } from '../reference-count';
import { firstForEachKey, firstOnly, startFaultProxy, type FaultProxy, type ProxiedRequest } from './fault-proxy';
import { deleteAll, differences, exists, fingerprint, readOutputs, runPipeline, runStage, seeded, startStage, writeFigures, type PipelineOptions } from './runs';

/**
 * Faults injected between the stage programs and an embedded S3 server (s3rver) by a proxy
 * on 127.0.0.1 (fault-proxy.ts): every run must end with exactly the bytes of a fault-free
 * run, or fail with its documented exit code and nothing half-written.
 */

const SRC = 'faults-source';
const DST = 'faults-results';
const SHARDS = 3;
const PIPELINE: PipelineOptions = {
  source: `s3://${SRC}/corpus/`,
  destination: `s3://${DST}/out/`,
  plan: `s3://${DST}/plans/corpus.json`,
  shards: SHARDS,
  planFlags: ['--per-file'],
};

let s3: TestS3;
let proxy: FaultProxy;
let env: Record<string, string>;
let sourceBefore: string[];
let baseline: Map<string, string>;
let texts: string[];
const figures = { runsCompared: 0, mismatches: 0, injected503: 0, injected500: 0, bodyResets: 0, clientRetries: 0, wholeRereads: 0, sigkills: 0, sigterms: 0, outages: 0 };

const VOCABULARY = ['river', 'stone', 'Light', 'höhe', 'naïve', 'don’t', 'well-known', 'x1', '42', 'ÉCOLE', 'tree', 'Tree', 'sky', 'Москва', '東京'];
const SEPARATORS = [' ', '  ', '\n', ', ', '. ', '--', '\t', ' (', ') ', '\r\n'];

function corpus(): Array<[string, string]> {
  const next = seeded(11);
  const text = (words: number) =>
    Array.from({ length: words }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)] + SEPARATORS[Math.floor(next() * SEPARATORS.length)]).join('');
  const small = Array.from({ length: 21 }, (_, index): [string, string] => [`corpus/doc-${String(index).padStart(2, '0')}.txt`, text(200 + Math.floor(next() * 600))]);
  // Large enough that a body arrives in many chunks and a reset lands well inside it.
  const large = Array.from({ length: 3 }, (_, index): [string, string] => [`corpus/big-${index}.txt`, text(60_000)]);
  return [...small, ...large];
}

const isSource = (request: ProxiedRequest) => request.bucket === SRC;
const isShardResult = (request: ProxiedRequest) => request.key.includes('/shards/shard-');

/** Runs the whole pipeline into an empty destination and returns the outputs, byte for byte. */
async function freshRun(): Promise<Map<string, string>> {
  await deleteAll(s3.store, DST, '');
  const runs = await runPipeline(PIPELINE, env);
  expect([runs.plan.code, ...runs.migrate.map((run) => run.code), runs.merge.code]).toEqual([0, ...Array(SHARDS).fill(0), 0]);
  return readOutputs(s3.store, DST, '');
}

function expectSameAsBaseline(outputs: Map<string, string>): void {
  const differing = differences(baseline, outputs);
  figures.runsCompared++;
  figures.mismatches += differing.length;
  expect(differing).toEqual([]);
}

function countFaults(since: number): void {
  const stats = proxy.stats(since);
  figures.injected503 += stats.injected503;
  figures.injected500 += stats.injected500;
  figures.bodyResets += stats.resets;
  figures.clientRetries += stats.clientRetries;
}

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
  proxy = await startFaultProxy(s3.server.endpoint, 2025);
  env = { ...s3.server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
  const objects = corpus();
  texts = objects.map(([, text]) => text);
  await putObjects(s3.store, SRC, objects);
  sourceBefore = await fingerprint(s3.store, SRC);
  baseline = await freshRun();
});

afterAll(async () => {
  writeFigures('faults', figures);
  await proxy.close();
  await s3.stop();
});

afterEach(() => {
  proxy.setRules({});
  proxy.release();
});

describe('a fault-free run through the proxy', () => {
  it('counts exactly what an independent reference counts', () => {
    const result = JSON.parse(baseline.get(`out/${planIdOf(baseline)}/result.json`) ?? '{}') as { words: Array<{ word: string; count: number }> };
    figures.runsCompared++;
    const counted = new Map(result.words.map(({ word, count }) => [word, count]));
    const expected = referenceCounts(texts);
    if (JSON.stringify([...counted].sort()) !== JSON.stringify([...expected].sort())) figures.mismatches++;
    expect(counted).toEqual(expected);
  });
});

describe('503 SlowDown and 500 InternalError on 20% of requests of every kind', () => {
  it('completes, retrying, with outputs byte-identical to the fault-free run', async () => {
    const since = proxy.log.length;
    // The first request of each kind fails too, so that every kind meets a fault whatever the dice say.
    proxy.setRules({ errorRate: 0.2, errorAlwaysWhen: firstForEachKey(() => true, (request) => request.operation) });
    const outputs = await freshRun();
    const stats = proxy.stats(since);
    countFaults(since);
    for (const operation of ['ListObjectsV2', 'GetObject', 'PutObject']) expect(stats.byOperation[operation].injected).toBeGreaterThan(0);
    expect(stats.injected503).toBeGreaterThan(0);
    expect(stats.injected500).toBeGreaterThan(0);
    // Every injected error was followed by the client's retry of that request.
    expect(stats.clientRetries).toBeGreaterThanOrEqual(stats.injected503 + stats.injected500);
    expectSameAsBaseline(outputs);
  });
});

describe('connections reset in the middle of a GetObject body', () => {
  it('re-reads each object from the start and counts it exactly once', async () => {
    const since = proxy.log.length;
    // The first read of every object that counting reads (plan, shard lists, sources) breaks halfway.
    proxy.setRules({ resetBodyWhen: firstForEachKey((request) => request.operation === 'GetObject') });
    await deleteAll(s3.store, DST, '');
    const plan = await runStage('plan', ['--source', PIPELINE.source, '--destination', PIPELINE.destination, '--plan', PIPELINE.plan, '--shards', String(SHARDS), '--per-file'], env);
    const migrate = await Promise.all([0, 1, 2].map((index) => runStage('migrate', ['--plan', PIPELINE.plan, '--index', String(index)], env)));
    expect([plan.code, ...migrate.map((run) => run.code)]).toEqual([0, 0, 0, 0]);
    proxy.setRules({});
    expect((await runStage('merge', ['--destination', PIPELINE.destination, '--format', 'json', '--top', '1000000', '--min-length', '1', '--min-count', '1', '--stopwords', ''], env)).code).toBe(0);

    const sourceReads = proxy.log.slice(since).filter((request) => isSource(request) && request.operation === 'GetObject');
    for (const key of new Set(sourceReads.map((request) => request.key))) {
      const reads = sourceReads.filter((request) => request.key === key);
      expect(reads.map((request) => request.outcome)).toEqual(['reset-mid-body', 'forwarded']);
      expect(reads[0].bodyBytes).toBeGreaterThan(0);
      expect(reads[1].range).toBeUndefined();
    }
    expect(new Set(sourceReads.map((request) => request.key)).size).toBe(texts.length);
    countFaults(since);
    figures.wholeRereads += proxy.stats(since).resets;
    expectSameAsBaseline(await readOutputs(s3.store, DST, ''));
  });

  it('makes merge read a shard result that breaks on from where it broke, pinned to its version: the same result', async () => {
    // Without the result, so that the comparison below is of what this merge wrote.
    await deleteAll(s3.store, DST, [...baseline.keys()].find((key) => key.endsWith('/result.json')) ?? 'no-result');
    const since = proxy.log.length;
    proxy.setRules({ resetBodyWhen: firstOnly(isShardResult) });
    const merge = await runStage('merge', ['--destination', PIPELINE.destination, '--format', 'json', '--top', '1000000', '--min-length', '1', '--min-count', '1', '--stopwords', ''], env);
    proxy.setRules({});
    expect(merge.code).toBe(0);
    const shardReads = proxy.log.slice(since).filter((request) => isShardResult(request) && request.operation === 'GetObject');
    const broken = shardReads.filter((request) => request.outcome === 'reset-mid-body');
    expect(broken).toHaveLength(1);
    const [first, again, ...more] = shardReads.filter((request) => request.key === broken[0].key);
    expect([first.outcome, again.outcome, more]).toEqual(['reset-mid-body', 'forwarded', []]);
    // Read on from a byte past the start (at most what was sent before the reset), not again from 0.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(again.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(first.bodyBytes);
    countFaults(since);
    expectSameAsBaseline(await readOutputs(s3.store, DST, ''));
  });
});

describe('a migrate child killed (SIGKILL) mid-shard, then run again', () => {
  const shardKey = () => [...baseline.keys()].find((key) => key.endsWith('/shards/shard-00000.tsv')) ?? '';

  beforeAll(async () => {
    await deleteAll(s3.store, DST, '');
    const plan = await runStage('plan', ['--source', PIPELINE.source, '--destination', PIPELINE.destination, '--plan', PIPELINE.plan, '--shards', String(SHARDS), '--per-file'], env);
    expect(plan.code).toBe(0);
  });

  it.each([
    ['while reading an object', (request: ProxiedRequest) => isSource(request) && request.key.startsWith('corpus/big-')],
    ['while writing its result', (request: ProxiedRequest) => request.operation === 'PutObject' && isShardResult(request)],
  ])('%s: leaves no result, and the re-run writes the undisturbed bytes', async (_case, holdWhen) => {
    await deleteAll(s3.store, DST, shardKey());
    proxy.setRules({ holdWhen });
    const since = proxy.log.length;
    const killed = startStage('migrate', ['--plan', PIPELINE.plan, '--index', '0'], env);
    await proxy.waitFor((request) => request.outcome === 'held', { since });
    killed.child.kill('SIGKILL');
    expect((await killed.done).code).toBeNull();
    figures.sigkills++;
    expect(await exists(s3.store, DST, shardKey())).toBe(false);
    proxy.setRules({});
    proxy.release();
    expect((await runStage('migrate', ['--plan', PIPELINE.plan, '--index', '0'], env)).code).toBe(0);
    figures.runsCompared++;
    const rerun = await s3.store.readText({ bucket: DST, key: shardKey() });
    if (rerun !== baseline.get(shardKey())) figures.mismatches++;
    expect(rerun).toBe(baseline.get(shardKey()));
  });
});

describe('SIGTERM (Batch cancel or timeout)', () => {
  beforeAll(async () => {
    await deleteAll(s3.store, DST, '');
    const runs = await runPipeline(PIPELINE, env);
    expect(runs.merge.code).toBe(0);
  });

  /** Starts a stage, waits until a request is held, sends SIGTERM and measures how long the stage takes to stop. */
  async function terminate(program: string, args: string[], holdWhen: (request: ProxiedRequest) => boolean) {
    proxy.setRules({ holdWhen });
    const since = proxy.log.length;
    const running = startStage(program, args, env);
    await proxy.waitFor((request) => request.outcome === 'held', { since });
    const sentAt = Date.now();
    running.child.kill('SIGTERM');
    const run = await running.done;
    figures.sigterms++;
    return { run, stopMs: run.exitedAt - sentAt };
  }

  function expectStopped(run: { code: number | null; errorLine: string | undefined; stdout: string }, stopMs: number, program: string) {
    expect(run.code).toBe(143);
    expect(run.errorLine).toBe(`wordbatch ${program}: error: stopped by SIGTERM before finishing; nothing was written`);
    expect(run.stdout).toBe('');
    expect(stopMs).toBeLessThan(3_000);
  }

  it('plan stops while listing, and writes no plan', async () => {
    const plan = `s3://${DST}/plans/stopped.json`;
    const { run, stopMs } = await terminate('plan', ['--source', PIPELINE.source, '--destination', `s3://${DST}/stopped/`, '--plan', plan], (request) => request.operation === 'ListObjectsV2');
    expectStopped(run, stopMs, 'plan');
    expect(await exists(s3.store, DST, 'plans/stopped.json')).toBe(false);
  });

  it.each([
    ['while reading an object', (request: ProxiedRequest) => isSource(request) && request.key.startsWith('corpus/big-')],
    ['while writing its result', (request: ProxiedRequest) => request.operation === 'PutObject' && isShardResult(request)],
  ])('migrate stops %s, and writes no result', async (_case, holdWhen) => {
    const resultKey = [...baseline.keys()].find((key) => key.endsWith('/shards/shard-00001.tsv')) ?? '';
    await deleteAll(s3.store, DST, resultKey);
    const { run, stopMs } = await terminate('migrate', ['--plan', PIPELINE.plan, '--index', '1'], holdWhen);
    expectStopped(run, stopMs, 'migrate');
    proxy.release();
    expect(await exists(s3.store, DST, resultKey)).toBe(false);
  });

  it('merge stops while reading shard results, and writes no result', async () => {
    const resultKey = [...baseline.keys()].find((key) => key.endsWith('/result.json')) ?? '';
    await deleteAll(s3.store, DST, resultKey);
    // --allow-partial: the migrate cases above removed a shard result.
    const { run, stopMs } = await terminate('merge', ['--destination', PIPELINE.destination, '--allow-partial'], isShardResult);
    expectStopped(run, stopMs, 'merge');
    expect(await exists(s3.store, DST, resultKey)).toBe(false);
  });
});

describe('the S3 endpoint down for a while', () => {
  beforeAll(async () => {
    await deleteAll(s3.store, DST, '');
    expect((await runStage('plan', ['--source', PIPELINE.source, '--destination', PIPELINE.destination, '--plan', PIPELINE.plan, '--shards', String(SHARDS), '--per-file'], env)).code).toBe(0);
  });

  it('for a second and a half mid-shard: retried, and the shard result is the undisturbed one', async () => {
    const since = proxy.log.length;
    proxy.setRules({ holdWhen: firstOnly((request) => isSource(request) && request.key.startsWith('corpus/big-')) });
    const running = startStage('migrate', ['--plan', PIPELINE.plan, '--index', '0'], env);
    const held = await proxy.waitFor((request) => request.outcome === 'held', { since });
    await proxy.setDown(true);
    figures.outages++;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    proxy.setRules({});
    await proxy.setDown(false);
    const run = await running.done;
    expect(run.code).toBe(0);
    // The held read was cut when the endpoint went down, then read again in full.
    expect(proxy.log.filter((request) => request.key === held.key && request.outcome === 'forwarded').length).toBeGreaterThanOrEqual(1);
    countFaults(since);
    figures.wholeRereads++;
    const resultKey = [...baseline.keys()].find((key) => key.endsWith('/shards/shard-00000.tsv')) ?? '';
    figures.runsCompared++;
    expect(await s3.store.readText({ bucket: DST, key: resultKey })).toBe(baseline.get(resultKey));
  });

  it.each([
    ['migrate', ['--plan', PIPELINE.plan, '--index', '1'], /could not reach S3 for s3:\/\/faults-(source|results)\/\S+ \(ECONNREFUSED\)/],
    ['plan', ['--source', PIPELINE.source, '--destination', `s3://${DST}/down/`, '--plan', `s3://${DST}/plans/down.json`], /could not reach S3 for s3:\/\/faults-source\/corpus\/ \(ECONNREFUSED\)/],
    ['merge', ['--destination', PIPELINE.destination, '--allow-partial'], /could not reach S3 for s3:\/\/faults-results\/out\/ \(ECONNREFUSED\)/],
  ])('for good: %s gives up within its retry bound with a clear line and exit 75', async (program, args, message) => {
    await proxy.setDown(true);
    figures.outages++;
    const started = Date.now();
    // Three attempts per request keep the test short; the bound with the default (8) is in docs/reliability.md.
    const run = await runStage(program, args, { ...env, AWS_MAX_ATTEMPTS: '3' });
    const elapsed = Date.now() - started;
    await proxy.setDown(false);
    expect(run.code).toBe(75);
    expect(run.errorLine).toMatch(new RegExp(`^wordbatch ${program}: error: ${message.source}`));
    expect(run.stdout).toBe('');
    expect(elapsed).toBeLessThan(15_000);
  });
});

describe('the source prefix', () => {
  it('was never written to: no write request reached it and every ETag is unchanged', async () => {
    const writes = proxy.log.filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter(isSource)).toEqual([]);
    expect(await fingerprint(s3.store, SRC)).toEqual(sourceBefore);
  });
});

function planIdOf(outputs: Map<string, string>): string {
  const copy = [...outputs.keys()].find((key) => /^out\/[^/]+\/plan\.json$/.test(key)) ?? '';
  return copy.split('/')[1];
}
