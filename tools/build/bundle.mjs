// Bundles one app into a single self-contained CommonJS file, dist/<app>/main.js, that runs
// with plain `node main.js` in an empty folder: what each container image holds.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';

const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node tools/build/bundle.mjs apps/<name>');
  process.exit(2);
}
const outfile = join('dist', projectRoot, 'main.js');
await build({
  entryPoints: [join(projectRoot, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: 'tsconfig.base.json',
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log(`${outfile}: ${(statSync(outfile).size / 1024).toFixed(0)} KiB`);
