// plan reading an S3 Inventory report instead of listing: a report of many objects, written
// as S3 lays one out (libs/plan-inputs/src/inventory-report.ts), planned by the plan bundle.
// The objects themselves need not exist: the report carries their sizes and ETags, so plan
// sends no request for them, which is the point of an inventory.
import { createHash } from 'node:crypto';
import { requireKit } from './kit.mjs';
import { logEvent } from './measure.mjs';
import { RESULTS, SOURCE } from './migrate-bench.mjs';
import { runStageProcess } from './stages.mjs';

/** Plans `objects` objects from an inventory report of gzip'd CSV files of 100,000 rows; returns the figures. */
export async function planFromInventory(s3, dist, objects, shards) {
  const { formatInventoryReport } = requireKit();
  function* rows() {
    for (let index = 0; index < objects; index++) {
      // Realistic keys (date partitions, a shared prefix) and sizes from 1 KB to about 64 KB.
      const day = String(1 + (index % 28)).padStart(2, '0');
      const key = `logs/2026/01/${day}/host-${index % 97}/part-${String(index).padStart(8, '0')}.log.gz`;
      const etag = createHash('md5').update(key).digest('hex');
      yield { key, size: 1024 + ((index * 7919) % 65_536), etag };
    }
  }
  const started = Date.now();
  const report = formatInventoryReport({ sourceBucket: SOURCE, destinationBucket: RESULTS, prefix: 'inventory/', rows: rows(), rowsPerFile: 100_000 });
  const reportBytes = report.files.reduce((sum, file) => sum + file.body.length, 0);
  for (const file of report.files) await s3.store.put({ bucket: RESULTS, key: file.key }, file.body);
  await s3.store.put({ bucket: RESULTS, key: report.manifestKey }, report.manifest);
  const preparedMs = Date.now() - started;
  const args = [
    '--manifest', `s3://${RESULTS}/${report.manifestKey}`,
    '--destination', `s3://${RESULTS}/inventory-out/`,
    '--plan', `s3://${RESULTS}/plans/inventory.json`,
    '--shards', String(shards),
  ];
  const run = await runStageProcess(dist, 'plan', args, s3.env);
  const written = logEvent(run, 'Plan:Written');
  if (written.files !== objects) throw new Error(`plan planned ${written.files} objects of ${objects}`);
  return {
    objects,
    shards,
    dataFiles: report.files.length,
    reportMegabytes: reportBytes / 1024 / 1024,
    preparedMs,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    maxRssBytes: run.maxRssBytes,
    planDurationMs: written.durationMs,
  };
}
