import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';

export const WORKSPACE = resolve(__dirname, '..', '..');
export const DIST = join(WORKSPACE, 'dist', 'apps');

export interface StageRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON log lines the stage wrote to stderr. */
  readonly logs: Array<Record<string, unknown>>;
  /** The last stderr line that is not JSON: the one-line error, if any. */
  readonly errorLine: string | undefined;
}

export interface TestS3 {
  readonly server: LocalS3;
  readonly store: ObjectStore;
  stop(): Promise<void>;
  /** Runs a bundled program (`plan`, `migrate`, `merge`, `wordbatch`) against this server. */
  run(program: string, args: readonly string[], env?: Record<string, string>): Promise<StageRun>;
}

/** Starts an embedded S3 server with the given buckets, for one test file. */
export async function startTestS3(buckets: readonly string[]): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'wordbatch-e2e-'));
  const server = await startLocalS3({ directory, buckets });
  const store = new ObjectStore(createS3Client(server.env));
  return {
    server,
    store,
    async stop() {
      store.client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
    run: (program, args, env = {}) => runProgram(program, args, { ...server.env, ...env }),
  };
}

export function runProgram(program: string, args: readonly string[], env: Record<string, string>, nodeFlags: string[] = []): Promise<StageRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, join(DIST, program, 'main.js'), ...args], {
      // A clean environment: nothing from the developer's AWS setup may leak into a test.
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
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
      resolvePromise({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: errText, logs, errorLine: other.at(-1) });
    });
  });
}

/** Puts many small objects with bounded concurrency. */
export async function putObjects(store: ObjectStore, bucket: string, objects: ReadonlyArray<readonly [string, string | Uint8Array]>): Promise<void> {
  for (let start = 0; start < objects.length; start += 32) {
    await Promise.all(objects.slice(start, start + 32).map(([key, body]) => store.put({ bucket, key }, body)));
  }
}

/** Reads a whole object as text (tests only: results are small). */
export async function readObject(store: ObjectStore, bucket: string, key: string): Promise<string> {
  return store.readText({ bucket, key });
}
