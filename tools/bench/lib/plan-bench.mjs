// plan at scale: the plan bundle over the synthetic listing endpoint (tools/bench/listing-server.mjs,
// a process of its own): made-up keys, pages of 1,000 after a fixed latency, shard lists and
// the header PUT there and dropped. plan still builds and sends every byte of them, so its
// time and memory are what they would be against S3, less S3's PUT latency for 1,000 lists.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { logEvent } from './measure.mjs';
import { runStageProcess } from './stages.mjs';

/** Shards of every plan measured here: a fixed count, as a Batch array size is. */
export const PLAN_BENCH_SHARDS = 1000;

/** Key layouts the listing endpoint makes up (tools/bench/listing-server.mjs). */
export const PLAN_BENCH_LAYOUTS = ['folders', 'flat'];

async function startListingProcess(keys, latencyMs, layout) {
  const child = spawn(process.execPath, ['tools/bench/listing-server.mjs', String(keys), String(latencyMs), layout], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`the listing server exited (${code})`)));
    });
  const { env } = await next();
  return {
    env,
    async stop() {
      const counts = next();
      child.stdin.end();
      return counts;
    },
  };
}

/** Plans `keys` keys in `layout` listed with `latencyMs` per page; `listConcurrency` 1 is the sequential listing. */
export async function planOverListing(dist, { keys, latencyMs, listConcurrency, layout = 'folders' }) {
  const server = await startListingProcess(keys, latencyMs, layout);
  const args = ['--source', 's3://bench/data/', '--destination', 's3://bench/out/', '--plan', 's3://bench/plans/scale.json', '--shards', String(PLAN_BENCH_SHARDS)];
  if (listConcurrency !== undefined) args.push('--list-concurrency', String(listConcurrency));
  let run;
  try {
    run = await runStageProcess(dist, 'plan', args, server.env, { timeoutMs: 1_800_000 });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const counts = await server.stop();
  const listed = logEvent(run, 'Plan:Listed');
  const written = logEvent(run, 'Plan:Written');
  return {
    keys,
    layout,
    latencyMs,
    listConcurrency: listConcurrency ?? 'default',
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    maxRssBytes: run.maxRssBytes,
    files: written.files,
    durationMs: written.durationMs,
    listRequests: counts.list,
    listRequestsPlanCounted: listed.listRequests,
    puts: counts.put,
    putMegabytes: counts.putBytes / 1e6,
    maxListingsInFlight: counts.maxInFlight,
    meanListingsInFlight: counts.listsInFlightMean,
    endpointCpuMs: counts.cpuMs,
    keysPerSecond: keys / (run.wallMs / 1000),
  };
}
