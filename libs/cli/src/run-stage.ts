import type { Logger } from 'pino';
import { exitCodeOf, StageError, TerminatedError } from '@wordbatch/errors';
import { ExitCode } from '@wordbatch/errors';
import { createLogger, redactSecrets, secretValuesOf } from './logger';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything a stage gets from its process, passed in so tests can run a stage in-process. */
export interface StageIo {
  readonly argv: readonly string[];
  readonly env: Env;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGTERM: every S3 call and loop of the stage listens to it. */
  readonly signal: AbortSignal;
}

export interface StageContext {
  readonly env: Env;
  readonly stdout: NodeJS.WritableStream;
  /** For the few plain lines a person must see whatever the output format (the logs go there too). */
  readonly stderr: NodeJS.WritableStream;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** A stage program: how to read its flags, and what to do with them. */
export interface StageProgram<Options> {
  readonly name: string;
  readonly help: string;
  parse(argv: readonly string[], env: Env): Options;
  execute(options: Options, context: StageContext): Promise<void>;
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
  if (io.argv.includes('--help') || io.argv.includes('-h')) {
    io.stdout.write(program.help);
    return ExitCode.Ok;
  }
  const logger = createLogger({
    stage: program.name,
    env: io.env,
    destination: io.stderr,
    pretty: io.stderr.isTTY === true,
  });
  try {
    const options = program.parse(io.argv, io.env);
    await program.execute(options, { env: io.env, stdout: io.stdout, stderr: io.stderr, logger, signal: io.signal });
    return ExitCode.Ok;
  } catch (caught) {
    const error = io.signal.aborted && !(caught instanceof StageError) ? new TerminatedError() : caught;
    const exitCode = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const secrets = secretValuesOf(io.env);
    // A stage error is one line by design, but it may quote an object key, and keys may hold
    // any character: control characters are shown escaped so the line stays one line.
    const oneLine = error instanceof StageError ? escapeControlCharacters(message) : message.split('\n')[0];
    const firstLine = redactSecrets(oneLine, secrets);
    if (error instanceof StageError) {
      logger.error({ exitCode, errorKind: error.name }, 'Stage:Failed');
    } else {
      logger.error({ exitCode, err: error }, 'Stage:Crashed');
    }
    const debug = io.env['LOG_LEVEL'] === 'debug' || io.env['LOG_LEVEL'] === 'trace';
    const detail = debug && error instanceof Error && error.stack ? `\n${redactSecrets(error.stack, secrets)}` : '';
    const hint = error instanceof StageError ? '' : ' (unexpected: this is a bug; LOG_LEVEL=debug shows more)';
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
