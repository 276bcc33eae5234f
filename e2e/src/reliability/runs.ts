import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { RUN_ACTUALS_NAME, SHARD_TIMINGS_FOLDER } from '@wordbatch/plan-schema';
import type { ObjectStore } from '@wordbatch/s3-store';
import { DIST, WORKSPACE, type StageRun } from '../harness';

/** Helpers shared by the reliability suites: whole runs, their outputs, and the source's state. */

export interface RunningStage {
  readonly child: ChildProcess;
  readonly done: Promise<StageRun & { readonly exitedAt: number }>;
}

/** Starts a bundled stage program (like harness.runProgram) and hands back the child, so it can be signalled. */
export function startStage(program: string, args: readonly string[], env: Record<string, string>): RunningStage {
  const child = spawn(process.execPath, [join(DIST, program, 'main.js'), ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const done = new Promise<StageRun & { exitedAt: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const exitedAt = Date.now();
      const errText = Buffer.concat(stderr).toString('utf8');
      const logs: Array<Record<string, unknown>> = [];
      const other: string[] = [];
      for (const line of errText.split('\n').filter((text) => text !== '')) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          other.push(line);
        }
      }
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: errText, logs, errorLine: other.at(-1), exitedAt });
    });
  });
  return { child, done };
}

export function runStage(program: string, args: readonly string[], env: Record<string, string>): Promise<StageRun> {
  return startStage(program, args, env).done;
}

export interface PipelineOptions {
  readonly source: string;
  readonly destination: string;
  readonly plan: string;
  readonly shards: number;
  readonly planFlags?: readonly string[];
  /** How many migrate children run at once (an array job's vCPU cap); all of them when not given. */
  readonly childrenAtOnce?: number;
}

export const MERGE_EVERYTHING = ['--format', 'json', '--top', '1000000', '--min-length', '1', '--min-count', '1', '--stopwords', ''];

export interface PipelineRuns {
  readonly plan: StageRun;
  readonly migrate: StageRun[];
  readonly merge: StageRun;
}

/**
 * plan, then the migrate children (all at once, as an array job starts them, or `childrenAtOnce`
 * at a time, each next one as soon as one ends), then merge.
 */
export async function runPipeline(options: PipelineOptions, env: Record<string, string>): Promise<PipelineRuns> {
  const plan = await runStage(
    'plan',
    ['--source', options.source, '--destination', options.destination, '--plan', options.plan, '--shards', String(options.shards), ...(options.planFlags ?? [])],
    env,
  );
  const migrate: StageRun[] = [];
  let nextIndex = 0;
  const child = async () => {
    for (let index = nextIndex++; index < options.shards; index = nextIndex++) {
      migrate[index] = await runStage('migrate', ['--plan', options.plan, '--index', String(index)], env);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.shards, options.childrenAtOnce ?? options.shards) }, child));
  const merge = await runStage('merge', ['--destination', options.destination, ...MERGE_EVERYTHING], env);
  return { plan, migrate, merge };
}

/**
 * Every object under `prefix`, by key; plan headers without their `createdAt`, the one field a
 * re-plan changes. Shard timings and the run's actuals.json are left out: they record how long a run
 * took, which no two runs share (that is why they are not in result.json).
 */
export async function readOutputs(store: ObjectStore, bucket: string, prefix: string): Promise<Map<string, string>> {
  const outputs = new Map<string, string>();
  for await (const object of store.list({ bucket, key: prefix })) {
    if (object.key.includes(`/${SHARD_TIMINGS_FOLDER}`) || object.key.endsWith(`/${RUN_ACTUALS_NAME}`)) continue;
    const text = await store.readText({ bucket, key: object.key });
    const isPlanHeader = /(^|\/)plans\/[^/]+\.json$|\/plan\.json$/.test(object.key);
    outputs.set(object.key, isPlanHeader ? withoutCreatedAt(text) : text);
  }
  return outputs;
}

function withoutCreatedAt(text: string): string {
  const header = JSON.parse(text) as Record<string, unknown>;
  delete header['createdAt'];
  return JSON.stringify(header);
}

/** The keys whose bytes differ between two output sets (missing on either side included). */
export function differences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  return [...keys].filter((key) => expected.get(key) !== actual.get(key)).sort();
}

export async function deleteAll(store: ObjectStore, bucket: string, prefix: string): Promise<void> {
  const keys: string[] = [];
  for await (const object of store.list({ bucket, key: prefix })) keys.push(object.key);
  for (const key of keys) await store.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

export async function exists(store: ObjectStore, bucket: string, key: string): Promise<boolean> {
  for await (const object of store.list({ bucket, key })) if (object.key === key) return true;
  return false;
}

/** Every object of a bucket with its size and ETag: the source must look the same after a suite. */
export async function fingerprint(store: ObjectStore, bucket: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const object of store.list({ bucket, key: '' })) lines.push(`${JSON.stringify(object.key)} ${object.size} ${object.etag}`);
  return lines;
}

/** A small deterministic generator, so a failure can be reproduced. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** The figures a suite reports (faults injected, retries, runs compared, mismatches), for docs/reliability.md. */
export function writeFigures(suite: string, figures: Record<string, number>): void {
  const folder = join(WORKSPACE, 'tmp', 'reliability');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${suite}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
