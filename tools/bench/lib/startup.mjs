// The fixed cost of a real run of each stage: plan, migrate and merge on one 256 KiB object,
// each from process start to exit, against the bench's S3 server. On so small an input the
// whole run is fixed cost: starting Node, loading the bundle (the AWS SDK among it), reading
// the plan, the first request and the first byte counted, the result's PUT; for migrate also
// starting a counting thread, which objects of 64 KiB and more get. `node -e 0` is
// timed alongside for the cost of Node itself. Builds are measured interleaved, round by
// round, so a load that changes during the section weighs on each alike.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { median } from './measure.mjs';
import { putAll } from './s3.mjs';
import { bundlePath, merge, migrate, runStageProcess } from './stages.mjs';

const PREFIX = 'fixed-cost';
const OBJECT_BYTES = 256 * 1024;

function nodeAloneMs() {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * `builds`: [label, dist folder] pairs. Returns, per build, the median wall milliseconds of
 * each stage's whole run, its CPU milliseconds (user + system: less swayed by other load on
 * the machine than wall time), and the bundle sizes, and the median of `node -e 0`.
 */
export async function measureFixedCost(s3, builds, { source, results, rounds = 7 }) {
  const text = 'the quick brown fox jumps over the lazy dog\n'.repeat(Math.ceil(OBJECT_BYTES / 44)).slice(0, OBJECT_BYTES);
  await putAll(s3.store, source, [[`${PREFIX}/one.txt`, Buffer.from(text)]], 1);
  const samples = new Map(builds.map(([label]) => [label, { plan: [], migrate: [], merge: [], planCpu: [], migrateCpu: [], mergeCpu: [] }]));
  const nodeAlone = [];
  const runRound = async () => {
    for (const [label, dist] of builds) {
      const name = `${PREFIX}-${label.replace(/[^a-z0-9]+/gi, '-')}`;
      const destination = `s3://${results}/${name}/`;
      const planUri = `s3://${results}/plans/${name}.json`;
      const planned = await runStageProcess(dist, 'plan', ['--source', `s3://${source}/${PREFIX}/`, '--destination', destination, '--plan', planUri, '--shards', '1'], s3.env);
      const migrated = await migrate(dist, s3.env, planUri, 0);
      const merged = await merge(dist, s3.env, destination, planUri);
      const sample = samples.get(label);
      for (const [stage, run] of [['plan', planned], ['migrate', migrated], ['merge', merged]]) {
        sample[stage].push(run.wallMs);
        sample[`${stage}Cpu`].push(run.cpuMs);
      }
    }
    nodeAlone.push(nodeAloneMs());
  };
  await runRound(); // warm-up: from the page cache from now on, as in a running container
  for (let round = 0; round < rounds; round++) await runRound();
  return {
    rounds,
    nodeAloneMs: median(nodeAlone.slice(1)),
    builds: builds.map(([label, dist]) => ({
      label,
      dist,
      bundleBytes: Object.fromEntries(['plan', 'migrate', 'merge'].map((stage) => [stage, statSync(bundlePath(dist, stage)).size])),
      ...Object.fromEntries(Object.entries(samples.get(label)).map(([stage, values]) => [stage, median(values.slice(1))])),
    })),
  };
}
