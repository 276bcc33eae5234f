// `npm start -- [FOLDER] [options]`: builds the stage bundles, then runs the whole pipeline
// locally against the embedded S3 server (see `wordbatch local --help`).
import { spawnSync } from 'node:child_process';

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
const run = spawnSync(
  process.execPath,
  ['--openssl-legacy-provider', 'dist/apps/wordbatch/main.js', 'local', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
