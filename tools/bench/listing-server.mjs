// The synthetic listing endpoint (libs/local-s3 listing-server.ts) in a process of its own, so
// that its CPU and memory are not plan's: `node tools/bench/listing-server.mjs KEYS LATENCY_MS [LAYOUT]`.
// Answers ListObjectsV2 over KEYS made-up keys under data/ (pages of 1,000, each after
// LATENCY_MS), reads PUT bodies to the end and drops them. LAYOUT: `folders` (generatedKeys:
// dNN/sNN/part-NNNNNN.txt, the default) or `flat` (flatKeys: access-log names, no folder). Prints one JSON line with the
// endpoint and environment; when stdin closes, one more with the request counts, then exits.
import { requireKit } from './lib/kit.mjs';

const [keys, latencyMs] = process.argv.slice(2, 4).map(Number);
const layout = process.argv[4] ?? 'folders';
const { flatKeys, generatedKeys, startListingServer } = requireKit();
const made = layout === 'flat' ? flatKeys(keys, { prefix: 'data/' }) : generatedKeys(keys, { prefix: 'data/' });
const server = await startListingServer({ bucket: 'bench', keys: made, latencyMs });
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, env: server.env })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  const { list, put, putBytes, maxInFlight, listMs, listSpanMs } = server.counts;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ list, put, putBytes, maxInFlight, listsInFlightMean: listMs / listSpanMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  void server.close().then(() => process.exit(0));
});
