#!/usr/bin/env node
// `npx wordbatch …` from a clone (the package's `bin`): runs the bundled CLI,
// dist/apps/wordbatch/main.js, building the bundles first when they are missing. Its stdout
// is the CLI's alone, so `npx wordbatch local --format json | jq` works; the build's output
// goes to stderr, and only when the build fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'apps', 'wordbatch', 'main.js');
const bundles = ['plan', 'migrate', 'merge', 'wordbatch'];

if (!bundles.every((app) => existsSync(join(root, 'dist', 'apps', app, 'main.js')))) {
  process.stderr.write('wordbatch: building the bundles first (npx nx run-many -t build)…\n');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...bundles, '--outputStyle=static'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
  });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout}${build.stderr}wordbatch: error: the build failed (output above)\n`);
    process.exit(1);
  }
}

// The embedded S3 server of `wordbatch local` encrypts listing tokens with DES, which
// OpenSSL 3 keeps in its legacy provider; a Node without the flag gets exit 6 from local.
const legacy = process.allowedNodeEnvironmentFlags.has('--openssl-legacy-provider') ? ['--openssl-legacy-provider'] : [];
const child = spawn(process.execPath, [...legacy, main, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the CLI too (same process group): wait for it to stop and take its code (130).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
