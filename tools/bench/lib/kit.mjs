// Bundles tools/bench/*.ts (the workspace code the benchmark drives) with esbuild, as the
// stage bundles are built, and loads them.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const BENCH_DIR = 'tmp/bench';
const require = createRequire(import.meta.url);

/** Bundles tools/bench/NAME.ts to tmp/bench/NAME.cjs and returns that path. */
export async function bundleBenchProgram(name, { minify = false } = {}) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const outfile = join(BENCH_DIR, `${name}.cjs`);
  await build({
    entryPoints: [join('tools', 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: 'tsconfig.base.json',
    minify,
    logLevel: 'warning',
  });
  return outfile;
}

/** Builds the kit (tools/bench/kit.ts); run once before any script calls requireKit(). */
export async function buildKit() {
  await bundleBenchProgram('kit');
}

/** The kit built by buildKit(), loaded into this process. */
export function requireKit() {
  return require(join(process.cwd(), BENCH_DIR, 'kit.cjs'));
}
