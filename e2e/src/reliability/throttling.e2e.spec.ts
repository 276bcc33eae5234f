import { putObjects, startTestS3, type TestS3 } from '../harness';
import { referenceCounts } from '../reference-count';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { throttlePerPrefix } from './prefix-throttle';
import { runPipeline, seeded, writeFigures, type PipelineOptions } from './runs';

/**
 * Many children against one prefix, as a Batch array job sends them: S3 answers 503 SlowDown
 * past its per-prefix request rate (prefix-throttle.ts, in front of s3rver through the fault
 * proxy). Plan writes its shard lists, 16 migrate children start at once, merge reads 16
 * results: every request past the rate is refused, and every run must still end exit 0 with
 * exact counts, each refused request retried (no exit 75), within the client's attempt bound.
 * The objects are tiny: this is about requests, not bytes, and it has to fit two cores.
 */

const SRC = 'throttle-source';
const DST = 'throttle-results';
/**
 * 16, not the 50 of the issue: 50 node processes at once did not finish in 5 minutes on this
 * 2-core machine under other sessions' load (average 33-52); the rates below are low enough
 * that 16 exceed them however slowly the processes start.
 */
const SHARDS = 16;
const PIPELINE: PipelineOptions = {
  source: `s3://${SRC}/corpus/`,
  destination: `s3://${DST}/out/`,
  plan: `s3://${DST}/plans/corpus.json`,
  shards: SHARDS,
};
/** Scaled down from S3's 5,500 and 3,500 per second, so that a few processes on two cores exceed them. */
const RATES = { readsPerSecond: 4, writesPerSecond: 2 };
const MAX_ATTEMPTS = 8;

let s3: TestS3;
let proxy: FaultProxy;
let texts: string[];

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
  proxy = await startFaultProxy(s3.server.endpoint, 14);
  const next = seeded(14);
  const words = ['alpha', 'Beta', 'gamma', 'naïve', 'don’t', 'well-known', '42', 'Москва'];
  const objects = Array.from({ length: 2 * SHARDS }, (_, index): [string, string] => [
    `corpus/doc-${String(index).padStart(3, '0')}.txt`,
    Array.from({ length: 30 }, () => words[Math.floor(next() * words.length)]).join(' '),
  ]);
  texts = objects.map(([, text]) => text);
  await putObjects(s3.store, SRC, objects);
});

afterAll(async () => {
  await proxy.close();
  await s3.stop();
});

describe('S3 throttling (503 SlowDown per prefix) under 16 concurrent migrate children', () => {
  it('ends every run with exact counts, no exit 75, each refused request retried within the bound', async () => {
    const throttle = throttlePerPrefix(RATES);
    proxy.setRules({ answerWith: throttle.answerWith });
    const env = { ...s3.server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_MAX_ATTEMPTS: String(MAX_ATTEMPTS) };
    const started = Date.now();
    const runs = await runPipeline(PIPELINE, env);
    const seconds = (Date.now() - started) / 1000;

    const codes = [runs.plan.code, ...runs.migrate.map((run) => run.code), runs.merge.code];
    expect(codes.filter((code) => code !== 0)).toEqual([]);
    const merged = JSON.parse(runs.merge.stdout) as { words: Array<{ word: string; count: number }> };
    const expected = referenceCounts(texts);
    expect(new Map(merged.words.map(({ word, count }) => [word, count]))).toEqual(expected);

    const refused = [...throttle.throttled.values()].reduce((sum, count) => sum + count, 0);
    const stats = proxy.stats();
    // The limit did bite (which prefixes depends on how fast the children start).
    expect(refused).toBeGreaterThan(SHARDS / 2);
    // Every retry answers a refusal (nothing else failed), and no request ran out of attempts.
    expect(stats.clientRetries).toBe(refused);
    expect(Math.max(...proxy.log.map((request) => request.attempt))).toBeLessThan(MAX_ATTEMPTS);
    writeFigures('throttling', {
      children: SHARDS,
      requests: stats.requests,
      refused503: refused,
      clientRetries: stats.clientRetries,
      maxAttempt: Math.max(...proxy.log.map((request) => request.attempt)),
      seconds,
      throttledPrefixes: throttle.throttled.size,
    });
  }, 300_000);
});
