import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { forEachConcurrent } from '@wordbatch/concurrency';
import { EnvironmentError, StageError, type ExitCode } from '@wordbatch/errors';
import { stagesInDependencyOrder, type PipelineRun, type StageInvocation, type StageName } from '@wordbatch/pipeline';

/** How one copy of a stage is started: as a process of its bundle, or as its container image. */
export interface StageLauncher {
  /** The command line (program first) that runs `stage` with `args`, and its extra environment. */
  command(stage: StageName, args: readonly string[], env: Readonly<Record<string, string>>): { argv: string[]; env: Record<string, string> };
}

export interface LocalExecutorOptions {
  readonly launcher: StageLauncher;
  /** The environment every stage gets (S3 endpoint and credentials). */
  readonly env: Readonly<Record<string, string>>;
  /** Array children run at once. */
  readonly parallel: number;
  /** Where each stage copy's stderr (its JSON log) is kept. */
  readonly logDir: string;
  readonly signal: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Told each plain (not JSON) line a stage copy that succeeded wrote on stderr: the lines a
   * stage prints for a person whatever its output (merge's skipped objects and invalid
   * encodings), which the user of the local run must see as the stage's own user would.
   */
  readonly onNote?: (line: string) => void;
}

export interface ProgressEvent {
  readonly stage: StageName;
  readonly done: number;
  readonly total: number;
}

export class StageFailedError extends StageError {
  override readonly name = 'StageFailedError';
}

/**
 * Runs a pipeline description on this machine: each stage after the ones it depends on,
 * an array stage as `arraySize` copies with AWS_BATCH_JOB_ARRAY_INDEX set, like Batch does.
 * Returns what the last stage printed on stdout.
 */
export async function runLocally(run: PipelineRun, options: LocalExecutorOptions): Promise<string> {
  mkdirSync(options.logDir, { recursive: true });
  let lastOutput = '';
  for (const invocation of stagesInDependencyOrder(run.stages)) {
    let done = 0;
    const outputs: string[] = [];
    options.onProgress?.({ stage: invocation.stage, done, total: invocation.arraySize });
    const indices = [...Array(invocation.arraySize).keys()];
    await forEachConcurrent(
      indices,
      invocation.arraySize === 1 ? 1 : options.parallel,
      async (index) => {
        outputs[index] = await runCopy(invocation, invocation.arraySize === 1 ? undefined : index, options);
        done++;
        options.onProgress?.({ stage: invocation.stage, done, total: invocation.arraySize });
      },
      options.signal,
    );
    lastOutput = outputs.join('');
  }
  return lastOutput;
}

async function runCopy(invocation: StageInvocation, arrayIndex: number | undefined, options: LocalExecutorOptions): Promise<string> {
  const copyEnv: Record<string, string> = { ...options.env };
  if (arrayIndex !== undefined) copyEnv['AWS_BATCH_JOB_ARRAY_INDEX'] = String(arrayIndex);
  const { argv, env } = options.launcher.command(invocation.stage, invocation.args, copyEnv);
  const label = arrayIndex === undefined ? invocation.stage : `${invocation.stage}-${arrayIndex}`;
  const logFile = join(options.logDir, `${label}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGTERM' });
  const stdout: Buffer[] = [];
  const stderrTail: string[] = [];
  const notes = new PlainLines();
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk);
    const text = chunk.toString('utf8');
    notes.add(text);
    stderrTail.push(text);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  let code: number;
  try {
    code = await new Promise<number>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new EnvironmentError(`${argv[0]} not found on PATH: install it (or choose another with --engine)`, { cause: error }) : error),
      );
      child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 15 : 1)));
    });
  } finally {
    // Also when the engine could not be started: the log file must be open and closed before the
    // caller goes on (and may remove its folder), or its late open fails with nobody listening.
    await new Promise<void>((resolve) => log.end(resolve));
  }
  const unreachableEngine = code !== 0 ? engineNotRunning(stderrTail.join('')) : undefined;
  if (unreachableEngine !== undefined) throw new EnvironmentError(`${label}: ${unreachableEngine} [log: ${logFile}]`);
  if (code !== 0) {
    const reason = lastErrorLine(stderrTail.join('')) ?? lastLine(stderrTail.join('')) ?? `exited with code ${code}`;
    throw new StageFailedError(`${label} failed (exit ${code}): ${reason} [log: ${logFile}]`, code as ExitCode);
  }
  for (const line of notes.end()) options.onNote?.(line);
  return Buffer.concat(stdout).toString('utf8');
}

/** The lines of a stage's stderr that are not its JSON log, kept (a bounded number) as they arrive. */
class PlainLines {
  private static readonly LIMIT = 100;
  private partial = '';
  private readonly lines: string[] = [];

  add(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.keep(line);
  }

  end(): readonly string[] {
    this.keep(this.partial);
    this.partial = '';
    return this.lines;
  }

  private keep(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('{') || this.lines.length >= PlainLines.LIMIT) return;
    this.lines.push(trimmed);
  }
}

/**
 * A container engine that is installed but cannot run anything (the Docker daemon stopped, podman's
 * service socket gone) says so on stderr before the stage starts: that is this machine's problem.
 */
function engineNotRunning(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .find((line) => /Cannot connect to the Docker daemon|Is the docker daemon running|unable to connect to Podman/i.test(line))
    ?.trim()
    .slice(0, 300);
}

/** Whatever the program said last (a container engine's own error, say), when the stage said nothing. */
function lastLine(stderr: string): string | undefined {
  return stderr.split('\n').filter((line) => line.trim() !== '').at(-1)?.trim().slice(0, 300);
}

/** The stage's own one-line error (`wordbatch <stage>: error: …`), without the prefix. */
function lastErrorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').filter((line) => line.includes(': error: '));
  const last = lines.at(-1);
  return last?.slice(last.indexOf(': error: ') + ': error: '.length);
}
