// Start-up time of a program: wall time of `node ARGS` (to the help text and exit), the
// median of many runs, interleaved with runs of `node -e 0` for the cost of Node itself.
import { spawnSync } from 'node:child_process';
import { median } from './measure.mjs';

function wallMs(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** `programs`: [name, node arguments] pairs. Returns the median milliseconds by name, and Node's own. */
export function measureStartup(programs, rounds = 15) {
  const all = [['node -e 0', ['-e', '0']], ...programs];
  const samples = new Map(all.map(([name]) => [name, []]));
  for (const [, args] of all) wallMs(args); // from the page cache from now on, as in a running container
  for (let round = 0; round < rounds; round++) {
    for (const [name, args] of all) samples.get(name).push(wallMs(args));
  }
  return Object.fromEntries([...samples].map(([name, values]) => [name, median(values)]));
}
