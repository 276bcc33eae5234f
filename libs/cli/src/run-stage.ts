import type { Logger } from 'pino';
import { CommandLineError, ExitCode, exitCodeOf, StageError, TerminatedError } from '@wordbatch/errors';
import { takeCommonFlags } from './common-flags';
import { createLogger, redactSecrets, secretValuesOf } from './logger';
import { BUILD_VERSION } from './version';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything a stage gets from its process, passed in so tests can run a stage in-process. */
export interface StageIo {
  readonly argv: readonly string[];
  readonly env: Env;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGTERM or SIGINT: every S3 call and loop of the stage listens to it. */
  readonly signal: AbortSignal;
}

export interface StageContext {
  readonly env: Env;
  readonly stdout: NodeJS.WritableStream;
  /** For the few plain lines a person must see whatever the output format (the logs go there too). */
  readonly stderr: NodeJS.WritableStream;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** --quiet: print results and errors only (no progress). */
  readonly quiet: boolean;
}

/** A stage program: how to read its flags, and what to do with them. */
export interface StageProgram<Options> {
  /** As users type it after `wordbatch`: `plan`, `submit`. */
  readonly name: string;
  /** Its --help: fixed, or chosen from the arguments (`submit plan --help`). */
  readonly help: string | ((argv: readonly string[]) => string);
  parse(argv: readonly string[], env: Env): Options;
  execute(options: Options, context: StageContext): Promise<void>;
}

/** What a stage's main.ts hands over of its process (`process` itself). */
export interface StageProcess {
  readonly argv: readonly string[];
  readonly env: Env;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  once(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * Runs a stage as the process: SIGTERM and SIGINT abort it (exit 143 and 130), and the process
 * exits with its code. `argv`: the stage's arguments, when they are not all of the process's.
 */
export function runStageAsProcess<Options>(program: StageProgram<Options>, process: StageProcess, argv: readonly string[] = process.argv.slice(2)): void {
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort('SIGTERM'));
  process.once('SIGINT', () => controller.abort('SIGINT'));
  void runStage(program, { argv, env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then((code) =>
    process.exit(code),
  );
}

/**
 * Runs a stage and returns its exit code. A StageError becomes one line on stderr and its
 * own code; anything else is a bug (code 1), and its stack is shown only with LOG_LEVEL=debug.
 * It returns once everything written to stdout and stderr has been handed over: a pipe may
 * still be draining a large `--output json` when the caller exits the process.
 */
export async function runStage<Options>(program: StageProgram<Options>, io: StageIo): Promise<ExitCode> {
  const exitCode = await runAndReport(program, io);
  await flushed(io.stdout);
  await flushed(io.stderr);
  return exitCode;
}

/** Resolves when what was written to `stream` before has been written out (or failed to be). */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}

async function runAndReport<Options>(program: StageProgram<Options>, io: StageIo): Promise<ExitCode> {
  let common;
  try {
    common = takeCommonFlags(io.argv, io.env);
  } catch (error) {
    io.stderr.write(`wordbatch ${program.name}: error: ${(error as Error).message}; see \`wordbatch ${program.name} --help\`\n`);
    return exitCodeOf(error);
  }
  if (common.help) {
    io.stdout.write(typeof program.help === 'string' ? program.help : program.help(common.argv));
    return ExitCode.Ok;
  }
  if (common.version) {
    io.stdout.write(`wordbatch ${program.name} ${BUILD_VERSION}\n`);
    return ExitCode.Ok;
  }
  const env = common.env;
  const logger = createLogger({
    stage: program.name,
    env,
    destination: io.stderr,
    pretty: io.stderr.isTTY === true,
  });
  let parsed = false;
  try {
    const options = program.parse(common.argv, env);
    parsed = true;
    await program.execute(options, { env, stdout: io.stdout, stderr: io.stderr, logger, signal: io.signal, quiet: common.quiet });
    return ExitCode.Ok;
  } catch (caught) {
    const error = io.signal.aborted && !(caught instanceof StageError) ? new TerminatedError(abortReasonOf(io.signal)) : caught;
    const exitCode = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const secrets = secretValuesOf(env);
    // A stage error is one line by design, but it may quote an object key, and keys may hold
    // any character: control characters are shown escaped so the line stays one line.
    const oneLine = error instanceof StageError ? escapeControlCharacters(message) : message.split('\n')[0];
    const firstLine = redactSecrets(oneLine, secrets);
    // A usage error is the one line below and nothing else: the stage never started.
    if (!(error instanceof StageError)) logger.error({ exitCode, err: error }, 'Stage:Crashed');
    else if (parsed && !(error instanceof CommandLineError)) logger.error({ exitCode, errorKind: error.name }, 'Stage:Failed');
    const debug = env['LOG_LEVEL'] === 'debug' || env['LOG_LEVEL'] === 'trace';
    const detail = debug && error instanceof Error && error.stack ? `\n${redactSecrets(error.stack, secrets)}` : '';
    const hint =
      error instanceof CommandLineError
        ? `; see \`wordbatch ${program.name} --help\``
        : error instanceof StageError
          ? ''
          : ' (unexpected: this is a bug; LOG_LEVEL=debug shows more)';
    io.stderr.write(`wordbatch ${program.name}: error: ${firstLine}${hint}${detail}\n`);
    return exitCode;
  }
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A line feed becomes the two characters `\n`: C0 controls, DEL, NEL and the Unicode line separators as visible escapes. */
function escapeControlCharacters(text: string): string {
  let escaped = '';
  for (const character of text) {
    const code = character.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029;
    escaped += control ? (NAMED_ESCAPES[character] ?? `\\u${code.toString(16).padStart(4, '0')}`) : character;
  }
  return escaped;
}

/** The signal that stopped the run (the AbortController's reason, set by main.ts), SIGTERM when not said. */
function abortReasonOf(signal: AbortSignal): 'SIGINT' | 'SIGTERM' {
  return signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
}
