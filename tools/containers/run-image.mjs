// Runs one stage's image as AWS Batch would: the stage's flags as the command, the standard
// AWS environment, a read-only root filesystem with a writable /tmp. Run by
// `nx run <stage>:container-run`; exits with the stage's own exit code.
//
//   node tools/containers/run-image.mjs STAGE [--engine CMD] [--tag TAG] [--] STAGE-FLAGS...
//
// --engine  docker or podman (default: $CONTAINER_ENGINE, else docker)
// --tag     the image tag (default: latest)
// The standard AWS variables the stages read (region, endpoint, keys, the Batch job ids) are
// passed on by name when set, so credentials never appear on a command line; other AWS_*
// variables name host paths (AWS_CA_BUNDLE, AWS_CONFIG_FILE) that mean nothing inside. The container shares the host
// network, so an S3 endpoint on 127.0.0.1 works as it does for the stage bundles.
import { spawnSync } from 'node:child_process';
import { engineCommand } from './engine.mjs';

const usage = 'usage: node tools/containers/run-image.mjs plan|migrate|merge [--engine CMD] [--tag TAG] [--] STAGE-FLAGS...';
const [stage, ...rest] = process.argv.slice(2);
if (!['plan', 'migrate', 'merge'].includes(stage ?? '')) fail(2, usage);

const own = { engine: undefined, tag: 'latest' };
let index = 0;
for (; index < rest.length; index++) {
  const arg = rest[index];
  if (arg === '--') {
    index++;
    break;
  }
  const match = /^--(engine|tag)(?:=(.*))?$/.exec(arg);
  if (!match) break;
  const value = match[2] ?? rest[++index];
  if (!value) fail(2, `--${match[1]} needs a value\n${usage}`);
  own[match[1]] = value;
}
const stageFlags = rest.slice(index);

const engine = engineCommand(own.engine);
const AWS_VARIABLES = [
  'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_MAX_ATTEMPTS',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_BATCH_JOB_ID', 'AWS_BATCH_JOB_ATTEMPT', 'AWS_BATCH_JOB_ARRAY_INDEX',
];
const passed = AWS_VARIABLES.filter((name) => process.env[name] !== undefined);
const args = [
  // Nothing writable, as on Fargate: podman would otherwise add tmpfs mounts to a read-only container.
  'run', '--rm', '--pull', 'never', '--network', 'host', '--read-only',
  ...(/podman$/.test(engine) ? ['--read-only-tmpfs=false'] : []),
  ...passed.flatMap((name) => ['--env', name]),
  `wordbatch-${stage}:${own.tag}`,
  ...stageFlags,
];
console.error(`$ ${engine} ${args.join(' ')}`);
const run = spawnSync(engine, args, { stdio: 'inherit' });
if (run.error) fail(1, `could not run ${engine}: ${run.error.message} (choose another with --engine or CONTAINER_ENGINE)`);
process.exit(run.status ?? 1);

function fail(code, message) {
  console.error(`container-run: error: ${message}`);
  process.exit(code);
}
