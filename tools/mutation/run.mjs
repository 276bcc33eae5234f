// `npm run test:mutation [-- LIB...] [--force] [--mutate FILE[,FILE]] [--concurrency N]`:
// mutation testing of the libs where a silent miscount or a tampered plan would hurt most
// (issue 16), one Stryker run per lib (see stryker.config.mjs). Incremental unless --force;
// --mutate narrows a run to some files of one lib while iterating (the other files' results
// stay in the incremental file). Prints each lib's time; the scores and the surviving mutants
// are in Stryker's own output and in tmp/mutation/<lib>/mutation.html.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

// Each property test runs this share of the runs its spec names (never fewer than 20), once per
// mutant that its code covers: tools/mutation/scaled-fast-check.cjs, docs/testing.md.
const PROPERTY_RUNS_SCALE = '0.1';

/**
 * Stryker writes the incremental file with the absolute paths of this checkout and of its
 * sandbox (the project root, the stack traces of killing tests); the committed file must read
 * the same from any clone, so they are made relative to the repository root.
 */
function relativizeIncrementalFile(lib) {
  const file = `reports/mutation/${lib}/stryker-incremental.json`;
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  delete report.projectRoot;
  const text = JSON.stringify(report, null, 2)
    .replace(/(?<=[\s(])\/[^\s"'()]*\/tmp\/stryker-[A-Za-z0-9-]+\/sandbox-[A-Za-z0-9]+\//g, '')
    .replace(/(?<=[\s(])\/[^\s"'()]*?\/(?=node_modules\/)/g, '')
    .replaceAll(`${process.cwd()}/`, '');
  writeFileSync(file, `${text}\n`);
}

const LIBS = ['s3-path', 'plan-schema', 'planner', 'word-count'];
const VALUED = ['--mutate', '--concurrency'];
const args = process.argv.slice(2);
const passed = [];
const chosen = [];
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  if (arg === '--force') passed.push(arg);
  else if (VALUED.includes(arg) && index + 1 < args.length) passed.push(arg, args[++index]);
  else if (LIBS.includes(arg)) chosen.push(arg);
  else {
    console.error(`test:mutation: error: unknown argument ${arg}; give libs (${LIBS.join(', ')}), --force, --mutate FILE or --concurrency N`);
    process.exit(2);
  }
}
if (passed.includes('--mutate') && chosen.length !== 1) {
  console.error('test:mutation: error: --mutate needs exactly one lib');
  process.exit(2);
}
let failed = false;
for (const lib of chosen.length > 0 ? chosen : LIBS) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...passed], {
    stdio: 'inherit',
    // The jest suites of some libs start the embedded S3 server, which needs the legacy provider.
    env: {
      ...process.env,
      MUTATION_LIB: lib,
      PROPERTY_RUNS_SCALE,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim(),
    },
  });
  relativizeIncrementalFile(lib);
  console.log(`test:mutation: ${lib} took ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${run.status})`);
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
