// The report's scale sections (issue 14): the throttled run, many small objects against
// rclone, plan over millions of listed keys, and merge at the Batch array limit. Apart from report.mjs so that each stays short.
import { MiB } from './measure.mjs';

const fixed = (value, digits = 1) => (value === undefined ? '' : value.toFixed(digits));
const mib = (bytes) => (bytes === undefined ? '' : `${(bytes / MiB).toFixed(0)} MiB`);
const count = (value) => Math.round(value).toLocaleString('en');
const verdict = (met) => (met ? 'met' : 'NOT met');

/** The lines of the scale sections present in `results`, each section preceded by a blank line. */
export function scaleSections(results) {
  const out = [];
  const throttled = results.throttled;
  if (throttled) {
    const { direct, throttled: run } = throttled;
    out.push(
      '',
      `The throttled run: ${count(throttled.shards)} shards of ${count(throttled.objects / throttled.shards)} small objects, ${throttled.atOnce} migrate children at a time, ` +
        `through a front refusing past ${throttled.rates.readsPerSecond} reads and ${throttled.rates.writesPerSecond} writes per second per prefix (503 SlowDown)`,
      `  ${fixed(run.seconds)} s throttled, ${fixed(direct.seconds)} s unthrottled (plan, children, merge; ${fixed(run.seconds / direct.seconds, 2)}x); ` +
        `${count(throttled.requests)} requests, ${count(throttled.refused)} refused, ${count(throttled.retries)} retries ` +
        `(${fixed(throttled.retries / throttled.requests, 2)} per request), deepest attempt ${throttled.maxAttempt} of ${throttled.maxAttempts}; ` +
        `same word count (${count(throttled.words)}), every exit 0; child peak RSS ${mib(run.childMaxRssBytes)}`,
    );
  }
  const rclone = results.rclone;
  if (rclone) {
    out.push(
      '',
      `Many small objects against rclone: ${count(rclone.objects)} objects of ~${count(rclone.bytes / rclone.objects)} bytes, same server, 16 in flight each (medians of ${rclone.rounds}; ${rclone.rcloneVersion})`,
      `  migrate counting: ${fixed(rclone.migrate.wallMs / 1000, 2)} s (${count(rclone.migrate.objectsPerSecond)} objects/s, peak RSS ${mib(rclone.migrate.maxRssBytes)}); ` +
        `rclone copy: ${fixed(rclone.rclone.wallMs / 1000, 2)} s (${count(rclone.rclone.objectsPerSecond)} objects/s, peak RSS ${mib(rclone.rclone.maxRssBytes)}); ` +
        `${fixed(rclone.ratio, 2)}x; >= 1.3x: ${verdict(rclone.ratio >= 1.3)}`,
    );
  }
  const planRows = results.planScale;
  if (planRows) {
    out.push('', `plan over a synthetic listing endpoint (${planRows[0]?.layout ?? 'folders'} keys, pages of 1,000, ${planRows[0]?.latencyMs} ms each; 1,000 shards)`);
    for (const row of [...planRows, ...(results.planScaleSequential ?? [])]) {
      out.push(
        `  ${count(row.keys).padStart(10)} keys${row.listConcurrency === 1 ? ' (sequential)' : ''}: ${fixed(row.wallMs / 1000)} s wall, plan's CPU ${fixed(row.cpuMs / 1000)} s, ` +
          `peak RSS ${mib(row.maxRssBytes)}, ${count(row.listRequests)} LIST requests, ${fixed(row.meanListingsInFlight)} in flight on average, ` +
          `the endpoint's CPU ${fixed(row.endpointCpuMs / 1000)} s, ${count(row.keysPerSecond)} keys/s`,
      );
    }
    const largest = planRows.find((row) => row.keys === 10_000_000);
    if (largest) {
      out.push(`  10M keys under 2 minutes: ${verdict(largest.wallMs < 120_000)}; under 1 GiB: ${verdict(largest.maxRssBytes < 2 ** 30)}`);
    }
  }
  const merge = results.mergeScale;
  if (merge) {
    out.push('', `merge at the Batch limit: shard results of ${count(merge.linesPerShard)} lines from a vocabulary of ${count(merge.vocabulary)}, 32 open at a time`);
    let previous;
    for (const row of merge.rows) {
      const growth = previous === undefined ? '' : ` (x${fixed(row.shards / previous.shards)} shards: time x${fixed(row.wallMs / previous.wallMs, 2)}, RSS x${fixed(row.maxRssBytes / previous.maxRssBytes, 2)})`;
      out.push(
        `  ${count(row.shards).padStart(6)} shard results, ${row.rounds} rounds: ${fixed(row.wallMs / 1000, 1)} s wall, ${count(row.entriesPerSecond)} entries/s, ` +
          `peak RSS ${mib(row.maxRssBytes)}, ${count(row.distinctWords)} distinct words, mean round ${fixed(row.meanRoundMs / 1000, 2)} s (idle timeout 120 s)${growth}`,
      );
      previous = row;
    }
  }
  return out;
}
