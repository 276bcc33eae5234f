// Runs the built stage bundles (DIST/apps/<stage>/main.js) as the local run and Batch do:
// one process each, pointed at an S3 endpoint through the standard AWS environment. DIST is
// `dist`, or another build's (`--dist`), to measure a before and an after.
import { join } from 'node:path';
import { logEvent, runMeasured } from './measure.mjs';

export const bundlePath = (dist, stage) => join(dist, 'apps', stage, 'main.js');

/** Runs a stage; fails loudly on a non-zero exit. */
export async function runStageProcess(dist, stage, args, s3Env, { cpus, nodeFlags = [], timeoutMs } = {}) {
  const env = { PATH: process.env.PATH ?? '', ...s3Env };
  const run = await runMeasured(process.execPath, [...nodeFlags, bundlePath(dist, stage), ...args], { env, cpus, timeoutMs });
  if (run.code !== 0) throw new Error(`${stage} ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-3000)}`);
  return run;
}

/** Plans `source` (a folder URI) into `shards` shards; returns the plan URI, plans/NAME.json in the destination's bucket. */
export async function plan(dist, s3Env, source, destination, name, shards) {
  const planUri = `s3://${destination.split('/')[2]}/plans/${name}.json`;
  await runStageProcess(dist, 'plan', ['--source', source, '--destination', destination, '--plan', planUri, '--shards', String(shards)], s3Env);
  return planUri;
}

/** Runs migrate on one shard; returns its Migrate:ShardDone fields and the process figures. */
export async function migrate(dist, s3Env, planUri, index, options = {}) {
  const run = await runStageProcess(dist, 'migrate', ['--plan', planUri, '--index', String(index), ...(options.args ?? [])], s3Env, options);
  return { ...run, done: logEvent(run, 'Migrate:ShardDone') };
}

/** Runs merge over a plan's shard results; returns its Merge:Done fields and the process figures. */
export async function merge(dist, s3Env, source, planUri) {
  const run = await runStageProcess(dist, 'merge', ['--destination', source, '--plan', planUri, '--format', 'json', '--top', '10'], s3Env);
  return { ...run, done: logEvent(run, 'Merge:Done') };
}
