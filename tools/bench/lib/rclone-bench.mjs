// migrate against rclone on many small objects: the same objects, the same server, the same
// number of requests in flight. rclone only copies them to a local folder; migrate counts
// them. Debian's rclone, installed like the bench's other tools when it is missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { smallPieces } from './corpus.mjs';
import { BENCH_DIR } from './kit.mjs';
import { median, runMeasured } from './measure.mjs';
import { putAll } from './s3.mjs';
import { migrate, plan } from './stages.mjs';
import { RESULTS, SOURCE } from './migrate-bench.mjs';

/** migrate's default --concurrency (libs/stage-commands), given to rclone as --transfers and --checkers. */
const IN_FLIGHT = 16;

/** Installs Debian's rclone with apt (non-interactive, as root) unless it is already there. */
export function ensureRclone(progress) {
  if (spawnSync('rclone', ['version'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('rclone is missing: run the bench as root, or apt-get install rclone');
  progress('installing rclone (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'rclone']]) {
    const run = spawnSync('apt-get', args, { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed:\n${run.stderr}`);
  }
}

/** An rclone remote named `bench` on the server, from the same environment migrate is given. */
function rcloneEnv(s3Env) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: BENCH_DIR,
    RCLONE_CONFIG: join(BENCH_DIR, 'rclone.conf'),
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ENV_AUTH: 'false',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: s3Env.AWS_ACCESS_KEY_ID,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: s3Env.AWS_SECRET_ACCESS_KEY,
    RCLONE_CONFIG_BENCH_ENDPOINT: s3Env.AWS_ENDPOINT_URL_S3 ?? s3Env.AWS_ENDPOINT_URL,
    RCLONE_CONFIG_BENCH_REGION: s3Env.AWS_REGION ?? 'us-east-1',
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
  };
}

/**
 * `count` objects of about `bytes` each: migrate counting them as one shard (every core,
 * its default 16 GETs in flight), and `rclone copy` of the same prefix into an empty folder
 * (16 transfers, 16 checkers, the server's modification times so that no HEAD is added),
 * alternately, `rounds` times each. Both are whole processes, timed from start to exit.
 */
export async function manySmallAgainstRclone(s3, dist, corpus, { count, bytes, rounds }) {
  const prefix = `rclone-${count}`;
  const pieces = smallPieces(corpus, count, bytes);
  await putAll(s3.store, SOURCE, pieces.map((body, index) => [`${prefix}/${String(index).padStart(6, '0')}.txt`, body]), 32);
  const planUri = await plan(dist, s3.env, `s3://${SOURCE}/${prefix}/`, `s3://${RESULTS}/out-${prefix}/`, prefix, 1);
  const copyTo = join(BENCH_DIR, 'rclone-copy');
  const env = rcloneEnv(s3.env);
  const migrateRuns = [];
  const rcloneRuns = [];
  for (let round = 0; round < rounds; round++) {
    migrateRuns.push(await migrate(dist, s3.env, planUri, 0));
    rmSync(copyTo, { recursive: true, force: true });
    mkdirSync(copyTo, { recursive: true });
    const args = ['copy', `bench:${SOURCE}/${prefix}`, copyTo, '--transfers', String(IN_FLIGHT), '--checkers', String(IN_FLIGHT), '--use-server-modtime'];
    const run = await runMeasured('rclone', args, { env });
    if (run.code !== 0) throw new Error(`rclone ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-2000)}`);
    const copied = readdirSync(copyTo).length;
    if (copied !== count) throw new Error(`rclone copied ${copied} objects of ${count}`);
    rcloneRuns.push(run);
  }
  rmSync(copyTo, { recursive: true, force: true });
  const counted = migrateRuns[0].done.files;
  if (counted !== count) throw new Error(`migrate counted ${counted} objects of ${count}`);
  const side = (runs) => {
    const wallMs = median(runs.map((run) => run.wallMs));
    return { wallMs, objectsPerSecond: count / (wallMs / 1000), cpuMs: median(runs.map((run) => run.cpuMs)), maxRssBytes: Math.max(...runs.map((run) => run.maxRssBytes)) };
  };
  const migrateSide = side(migrateRuns);
  const rcloneSide = side(rcloneRuns);
  const version = spawnSync('rclone', ['version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  return { objects: count, bytes: pieces.reduce((sum, piece) => sum + piece.length, 0), rounds, rcloneVersion: version, migrate: migrateSide, rclone: rcloneSide, ratio: rcloneSide.wallMs / migrateSide.wallMs };
}
