// The throttled run: a whole pipeline through a front that refuses requests past a per-prefix
// rate with 503 SlowDown, as S3 does (e2e/src/reliability/prefix-throttle.ts, the same front
// the throttling e2e suite uses), many migrate children at once. Retries and time, beside
// the same run unthrottled.
import { smallPieces } from './corpus.mjs';
import { requireKit } from './kit.mjs';
import { logEvent, median } from './measure.mjs';
import { putAll } from './s3.mjs';
import { runStageProcess } from './stages.mjs';
import { RESULTS, SOURCE } from './migrate-bench.mjs';

/** Attempts per request (AWS_MAX_ATTEMPTS), the client's default: the bound the run must stay within. */
const MAX_ATTEMPTS = 8;

/** Runs `count` tasks, `atOnce` at a time, each next one as soon as one ends; their results in order. */
async function pool(count, atOnce, task) {
  const results = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await task(index);
  };
  await Promise.all(Array.from({ length: Math.min(count, atOnce) }, worker));
  return results;
}

/** plan, the children `atOnce` at a time, then merge, all against `env`'s endpoint. */
async function pipeline(dist, env, name, shards, atOnce) {
  const planUri = `s3://${RESULTS}/throttled/${name}/plans/corpus.json`;
  const destination = `s3://${RESULTS}/throttled/${name}/out/`;
  const started = performance.now();
  await runStageProcess(dist, 'plan', ['--source', `s3://${SOURCE}/throttled/`, '--destination', destination, '--plan', planUri, '--shards', String(shards)], env);
  const children = await pool(shards, atOnce, async (index) => {
    const run = await runStageProcess(dist, 'migrate', ['--plan', planUri, '--index', String(index)], env);
    return { wallMs: run.wallMs, maxRssBytes: run.maxRssBytes, words: logEvent(run, 'Migrate:ShardDone').words };
  });
  const merged = await runStageProcess(dist, 'merge', ['--destination', destination, '--plan', planUri, '--format', 'json', '--top', '10'], env);
  return {
    seconds: (performance.now() - started) / 1000,
    words: logEvent(merged, 'Merge:Done').words,
    childWallMs: median(children.map((child) => child.wallMs)),
    childMaxRssBytes: Math.max(...children.map((child) => child.maxRssBytes)),
  };
}

/**
 * `shards` shards of `objectsPerShard` small objects under one prefix, `atOnce` migrate
 * children at a time: once straight to the server, once through the throttling front at
 * `rates` (per prefix and second). Fails unless both runs count the same words and every
 * request stays within its attempts.
 */
export async function throttledRun(s3, dist, corpus, { shards, atOnce, objectsPerShard, rates }) {
  const { startFaultProxy, throttlePerPrefix } = requireKit();
  const pieces = smallPieces(corpus, shards * objectsPerShard, 512);
  await putAll(s3.store, SOURCE, pieces.map((body, index) => [`throttled/${String(index).padStart(6, '0')}.txt`, body]), 32);
  const direct = await pipeline(dist, s3.env, 'direct', shards, atOnce);
  const proxy = await startFaultProxy(s3.endpoint, 1);
  try {
    const throttle = throttlePerPrefix(rates);
    proxy.setRules({ answerWith: throttle.answerWith });
    const env = { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_MAX_ATTEMPTS: String(MAX_ATTEMPTS) };
    const throttled = await pipeline(dist, env, 'throttled', shards, atOnce);
    const stats = proxy.stats();
    const refused = [...throttle.throttled.values()].reduce((sum, count) => sum + count, 0);
    const maxAttempt = Math.max(...proxy.log.map((request) => request.attempt));
    if (throttled.words !== direct.words) throw new Error(`the throttled run counted ${throttled.words} words, the direct one ${direct.words}`);
    if (maxAttempt >= MAX_ATTEMPTS) throw new Error(`a request reached attempt ${maxAttempt} of ${MAX_ATTEMPTS}`);
    return {
      shards,
      atOnce,
      objects: pieces.length,
      rates,
      words: direct.words,
      direct,
      throttled,
      requests: stats.requests,
      refused,
      retries: stats.clientRetries,
      maxAttempt,
      maxAttempts: MAX_ATTEMPTS,
    };
  } finally {
    await proxy.close();
  }
}
