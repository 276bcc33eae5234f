// Builds one stage's image from apps/<stage>/Dockerfile and tags it per stage and per commit:
// wordbatch-<stage>:<git short sha> and wordbatch-<stage>:latest. Then reports its size and
// what it adds to the base. Run by `nx run <stage>:container-build`, after the bundle is built.
//
//   node tools/containers/build-image.mjs STAGE [--engine CMD] [--base IMAGE] [--platform OS/ARCH]
//
// --engine   docker or podman (default: $CONTAINER_ENGINE, else docker)
// --base     the Node.js runtime image (default: $WORDBATCH_NODE_BASE, else the Dockerfile's
//            distroless image)
// --platform e.g. linux/arm64 for Graviton Batch hosts (default: the engine's own)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { engineCommand, imageFacts, formatMegabytes } from './engine.mjs';

const usage = 'usage: node tools/containers/build-image.mjs plan|migrate|merge [--engine CMD] [--base IMAGE] [--platform OS/ARCH]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { engine: { type: 'string' }, base: { type: 'string' }, platform: { type: 'string' } },
  });
} catch (error) {
  fail(2, `${error.message}\n${usage}`);
}
const [stage, ...extra] = parsed.positionals;
if (!stage || extra.length > 0) fail(2, usage);
const dockerfile = `apps/${stage}/Dockerfile`;
const bundle = `dist/apps/${stage}/main.js`;
if (!existsSync(dockerfile)) fail(2, `no ${dockerfile}: STAGE must be plan, migrate or merge\n${usage}`);
if (!existsSync(bundle)) fail(3, `no ${bundle}: build it first (npx nx run ${stage}:build)`);

const engine = engineCommand(parsed.values.engine);
const base = parsed.values.base || process.env['WORDBATCH_NODE_BASE'] || undefined;
const revision = gitRevision(stage);
const repository = `wordbatch-${stage}`;
const tags = [...(revision ? [`${repository}:${revision.tag}`] : []), `${repository}:latest`];

const args = [
  'build',
  '--file', dockerfile,
  ...tags.flatMap((tag) => ['--tag', tag]),
  ...(base ? ['--build-arg', `NODE_BASE=${base}`] : []),
  ...(parsed.values.platform ? ['--platform', parsed.values.platform] : []),
  ...(revision ? ['--label', `org.opencontainers.image.revision=${revision.commit}`] : []),
  '.',
];
console.log(`$ ${engine} ${args.join(' ')}`);
const build = spawnSync(engine, args, { stdio: 'inherit' });
if (build.error) fail(1, `could not run ${engine}: ${build.error.message} (choose another with --engine or CONTAINER_ENGINE)`);
if (build.status !== 0) fail(build.status ?? 1, `${engine} build of ${repository} failed (output above)`);

const image = imageFacts(engine, tags[0]);
const baseImage = imageFacts(engine, base ?? 'gcr.io/distroless/nodejs22-debian13:nonroot');
const above = baseImage
  ? `; ${formatMegabytes(image.size - baseImage.size)} in ${image.layers - baseImage.layers} layer(s) above the base (${formatMegabytes(baseImage.size)})`
  : '';
console.log(`${tags.join(', ')}: ${formatMegabytes(image.size)}${above}`);
if (revision?.dirty) console.log(`note: tagged ${revision.tag}: the stage's inputs differ from commit ${revision.commit}`);

/**
 * The commit the image is built from, or undefined outside a git checkout. The tag gets a
 * -dirty suffix when the files the bundle and image come from differ from that commit, so a
 * commit tag never names an image that commit would not build.
 */
function gitRevision(stageName) {
  const git = (...gitArgs) => spawnSync('git', gitArgs, { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) {
    console.warn('warning: not a git checkout, so the image is tagged latest only');
    return undefined;
  }
  const commit = git('rev-parse', 'HEAD').stdout.trim();
  const inputs = [`apps/${stageName}`, 'libs', 'tools/build', '.dockerignore', 'tsconfig.base.json', 'package-lock.json'];
  const dirty = git('status', '--porcelain', '--', ...inputs).stdout.trim() !== '';
  const short = head.stdout.trim();
  return { commit, dirty, tag: dirty ? `${short}-dirty` : short };
}

function fail(code, message) {
  console.error(`container-build: error: ${message}`);
  process.exit(code);
}
