// Timing helpers: medians, and child processes measured with /usr/bin/time (wall clock,
// CPU time and peak RSS), so every figure comes from the process that did the work.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `command args` to completion. `cpus` pins it with taskset (e.g. '0' for one core).
 * Resolves with its exit code, output, wall time, CPU time (user + system) and peak RSS.
 */
export function runMeasured(command, args, { env = process.env, cpus, stdin = 'ignore', timeoutMs = 600_000 } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'wordbatch-bench-time-'));
  const timeFile = join(scratch, 'time');
  const pinned = cpus === undefined ? [] : ['taskset', '-c', cpus];
  const argv = ['-f', '%e %U %S %M', '-o', timeFile, ...pinned, command, ...args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', argv, { env, stdio: [stdin, 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const [, user, system, maxRssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      rmSync(scratch, { recursive: true, force: true });
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        wallMs,
        cpuMs: (user + system) * 1000,
        maxRssBytes: maxRssKb * 1024,
      });
    });
  });
}

/** The JSON log lines of a stage's stderr. */
export function logLines(stderr) {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** The first log line with this event name (its `event` field), or a clear error. */
export function logEvent(run, event) {
  const found = logLines(run.stderr).find((line) => line.event === event);
  if (!found) throw new Error(`no ${event} in the log (exit ${run.code}):\n${run.stderr.slice(-2000)}`);
  return found;
}

export const MB = 1e6;
export const MiB = 1024 * 1024;

export function formatMiB(bytes) {
  return `${(bytes / MiB).toFixed(0)} MiB`;
}
