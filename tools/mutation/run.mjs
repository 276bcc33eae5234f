// `npm run test:mutation [-- LIB...] [--force] [--changed] [--mutate FILE[,FILE]] [--concurrency N]`:
// mutation testing of the libs where a silent miscount or a tampered plan would hurt most
// (issue 16), one Stryker run per lib (see stryker.config.mjs). Incremental unless --force;
// --mutate narrows a run to some files of one lib while iterating (the other files' results
// stay in the incremental file). --changed (what .ci/run uses) runs Stryker only for the libs
// whose files differ from those of their committed report, and reads the others' scores from
// it. Prints each lib's time; the scores and the surviving mutants are in Stryker's own output
// and in tmp/mutation/<lib>/mutation.html.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { calculateMetrics } from 'mutation-testing-metrics';
import { thresholds } from './thresholds.mjs';

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

/**
 * One digest of every file of the lib that git does not ignore (sources, specs, spec helpers, jest and
 * TypeScript configs): a report whose digest is the lib's current one was made from exactly
 * this code and these tests, so a Stryker run would reuse every result in it. (Stryker's own
 * incremental diff sees only mutated files and test files, not spec helpers or configs.)
 */
function libDigest(lib) {
  const hash = createHash('sha256');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', `libs/${lib}`], { encoding: 'utf8' }).split('\0').filter((file) => file && existsSync(file)).sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const digestFile = (lib) => `reports/mutation/${lib}/tested-digest.txt`;
const incrementalFile = (lib) => `reports/mutation/${lib}/stryker-incremental.json`;

/** The lib's score as its committed report gives it, or undefined when the report is not of the code whose digest is given. */
function committedScore(lib, digest) {
  if (!existsSync(digestFile(lib)) || !existsSync(incrementalFile(lib))) return undefined;
  if (readFileSync(digestFile(lib), 'utf8').trim() !== digest) return undefined;
  return calculateMetrics(JSON.parse(readFileSync(incrementalFile(lib), 'utf8')).files).metrics;
}

// The counting and contract libs, and the libs that parse input from outside (arguments, inventory
// reports and key lists, object bytes).
const LIBS = ['s3-path', 'plan-schema', 'planner', 'word-count', 'command-line', 'plan-inputs', 'source-text'];
const VALUED = ['--mutate', '--concurrency'];
const args = process.argv.slice(2);
const passed = [];
const chosen = [];
let changedOnly = false;
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  if (arg === '--force') passed.push(arg);
  else if (arg === '--changed') changedOnly = true;
  else if (VALUED.includes(arg) && index + 1 < args.length) passed.push(arg, args[++index]);
  else if (LIBS.includes(arg)) chosen.push(arg);
  else {
    console.error(`test:mutation: error: unknown argument ${arg}; give libs (${LIBS.join(', ')}), --force, --changed, --mutate FILE or --concurrency N`);
    process.exit(2);
  }
}
if (passed.includes('--mutate') && chosen.length !== 1) {
  console.error('test:mutation: error: --mutate needs exactly one lib');
  process.exit(2);
}
if (changedOnly && passed.some((arg) => arg === '--force' || arg === '--mutate')) {
  console.error('test:mutation: error: --changed runs the changed libs incrementally; it takes no --force or --mutate');
  process.exit(2);
}
let failed = false;
for (const lib of chosen.length > 0 ? chosen : LIBS) {
  // Taken before Stryker starts: the digest of the code its sandbox copies.
  const digest = libDigest(lib);
  const reported = changedOnly ? committedScore(lib, digest) : undefined;
  if (reported) {
    const { mutationScore, killed, timeout, survived, noCoverage } = reported;
    const below = mutationScore < thresholds.break;
    console.log(
      `test:mutation: ${lib} unchanged since its committed report: ${mutationScore.toFixed(2)}% ` +
        `(${killed} killed, ${timeout} timed out, ${survived} survived, ${noCoverage} not covered)${below ? `, below ${thresholds.break}%` : ''}`,
    );
    failed ||= below;
    continue;
  }
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
  // A finished run rewrites the incremental file; a narrowed one leaves the other files' results
  // as they were, so only a whole-lib run vouches for the lib's current code.
  const finished = existsSync(incrementalFile(lib)) && statSync(incrementalFile(lib)).mtimeMs >= started;
  if (finished && !passed.includes('--mutate')) writeFileSync(digestFile(lib), `${digest}\n`);
  console.log(`test:mutation: ${lib} took ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${run.status})`);
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
