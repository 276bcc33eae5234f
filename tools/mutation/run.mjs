// `npm run test:mutation [-- LIB...] [-- --force]`: mutation testing of the libs where a silent
// miscount or a tampered plan would hurt most (issue 16), one Stryker run per lib (see
// stryker.config.mjs). Incremental unless --force. Prints each lib's time; the scores and the
// surviving mutants are in Stryker's own output and in tmp/mutation/<lib>/mutation.html.
import { spawnSync } from 'node:child_process';

const LIBS = ['s3-path', 'plan-schema', 'planner', 'word-count'];
const args = process.argv.slice(2);
const force = args.includes('--force');
const unknown = args.filter((arg) => arg !== '--force' && !LIBS.includes(arg));
if (unknown.length > 0) {
  console.error(`test:mutation: error: unknown lib ${unknown[0]}; one of ${LIBS.join(', ')}`);
  process.exit(2);
}
const chosen = args.filter((arg) => LIBS.includes(arg));
let failed = false;
for (const lib of chosen.length > 0 ? chosen : LIBS) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...(force ? ['--force'] : [])], {
    stdio: 'inherit',
    // The jest suites of some libs start the embedded S3 server, which needs the legacy provider.
    env: { ...process.env, MUTATION_LIB: lib, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim() },
  });
  console.log(`test:mutation: ${lib} took ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${run.status})`);
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
