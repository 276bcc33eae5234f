// `npm start -- [FOLDER] [options]`: builds the stage bundles, then runs the whole pipeline
// locally against the embedded S3 server (`wordbatch local`; see `npx wordbatch local --help`).
// npm prints its own banner on stdout: pipe `npm -s start -- … --format json`, or use
// `npx wordbatch local …`. FOLDER is relative to where npm was run (npm's INIT_CWD).
import { spawn, spawnSync } from 'node:child_process';

const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '-p', 'plan', 'migrate', 'merge', 'wordbatch', '--outputStyle=static'],
  { encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
);
if (build.status !== 0) {
  process.stderr.write(build.stdout + build.stderr);
  process.stderr.write('wordbatch: error: the build failed (output above)\n');
  process.exit(1);
}
// The embedded S3 server encrypts listing tokens with DES, which OpenSSL 3 keeps in its legacy provider.
const legacy = process.allowedNodeEnvironmentFlags.has('--openssl-legacy-provider') ? ['--openssl-legacy-provider'] : [];
const run = spawn(process.execPath, [...legacy, 'dist/apps/wordbatch/main.js', 'local', ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the run too (same process group): wait for it to stop and take its code (130).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => run.kill(signal));
run.on('close', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
