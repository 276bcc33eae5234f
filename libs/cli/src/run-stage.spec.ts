import { PassThrough, Writable } from 'node:stream';
import { CommandLineError, InputChangedError, UsageError } from '@wordbatch/errors';
import { ExitCode } from '@wordbatch/errors';
import { EventEmitter } from 'node:events';
import { runStage, runStageAsProcess, type StageProcess, type StageProgram } from './run-stage';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

function program(execute: StageProgram<string[]>['execute']): StageProgram<string[]> {
  return { name: 'demo', help: 'usage: demo\n', parse: (argv) => [...argv], execute };
}

async function run(execute: StageProgram<string[]>['execute'], options: { env?: Record<string, string>; argv?: string[]; signal?: AbortSignal } = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await runStage(program(execute), {
    argv: options.argv ?? [],
    env: options.env ?? {},
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal: options.signal ?? new AbortController().signal,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('runStage', () => {
  it('prints help without running', async () => {
    const execute = jest.fn();
    const result = await run(execute, { argv: ['--help'] });
    expect(result).toMatchObject({ code: 0, stdout: 'usage: demo\n' });
    expect(execute).not.toHaveBeenCalled();
  });

  it('prints a bad argument found while running (local\'s FOLDER) as the one usage line, pointing at --help, without a log line', async () => {
    const result = await run(async () => {
      throw new CommandLineError('FOLDER /nonexistent is not a directory');
    });
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toBe('wordbatch demo: error: FOLDER /nonexistent is not a directory; see `wordbatch demo --help`\n');
  });

  it('maps a stage error to its code and one stderr line', async () => {
    const result = await run(async () => {
      throw new UsageError('--plan is required');
    });
    expect(result.code).toBe(ExitCode.Usage);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('wordbatch demo: error: --plan is required');
    expect(JSON.parse(lines[0])).toMatchObject({ event: 'Stage:Failed', exitCode: 2, level: 'error' });
    expect(result.stdout).toBe('');
  });

  it('treats anything else as a bug without a stack trace', async () => {
    const result = await run(async () => {
      throw new TypeError('x is undefined');
    });
    expect(result.code).toBe(ExitCode.Internal);
    expect(result.stderr).toContain('wordbatch demo: error: x is undefined (unexpected: this is a bug');
    expect(result.stderr.split('\n').filter((line) => line.startsWith('    at '))).toEqual([]);
  });

  it('shows the stack with LOG_LEVEL=debug', async () => {
    const result = await run(
      async () => {
        throw new TypeError('boom');
      },
      { env: { LOG_LEVEL: 'debug' } },
    );
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('exits 143 when stopped by a signal', async () => {
    const controller = new AbortController();
    const result = await run(
      async () => {
        controller.abort();
        throw new Error('aborted request');
      },
      { signal: controller.signal },
    );
    expect(result.code).toBe(ExitCode.Terminated);
    expect(result.stderr).toContain('stopped by SIGTERM');
  });

  it.each([
    ['SIGTERM', ExitCode.Terminated, 'stopped by SIGTERM'],
    ['SIGINT', ExitCode.Interrupted, 'interrupted'],
  ] as const)('as the process: %s aborts the run, and the process exits with its code', async (signalName, code, said) => {
    const stderr = capture();
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) => {
      const process: StageProcess = {
        argv: ['node', 'main.js', 'a'],
        env: {},
        stdout: capture().stream,
        stderr: stderr.stream,
        once: (event, listener) => signals.once(event, listener),
        exit: ((exitCode: number) => resolve(exitCode)) as StageProcess['exit'],
      };
      const waitForStop: StageProgram<string[]>['execute'] = async (argv, { signal }) => {
        expect(argv).toEqual(['a']);
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted request'))));
      };
      runStageAsProcess(program(waitForStop), process);
    });
    signals.emit(signalName);
    expect(await exited).toBe(code);
    expect(stderr.text()).toContain(said);
  });

  it('keeps the code of a stage error raised while stopping', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await run(
      async () => {
        throw new InputChangedError('gone');
      },
      { signal: controller.signal },
    );
    expect(result.code).toBe(ExitCode.InputChanged);
  });

  it('keeps a stage error on one line, showing control characters in it escaped', async () => {
    const result = await run(async () => {
      throw new InputChangedError('s3://b/odd\nkey\r\u0001.txt does not exist');
    });
    expect(result.stderr.trim().split('\n').at(-1)).toBe('wordbatch demo: error: s3://b/odd\\nkey\\r\\u0001.txt does not exist');
  });

  it('never prints the credentials of its environment, even in a debug stack', async () => {
    const env = { AWS_SECRET_ACCESS_KEY: 'SuperSecretKeyValue1', AWS_SESSION_TOKEN: 'SessionTokenValue2', LOG_LEVEL: 'debug' };
    for (const error of [new TypeError(`bad ${env.AWS_SECRET_ACCESS_KEY}`), new InputChangedError(`gone ${env.AWS_SESSION_TOKEN}`)]) {
      const result = await run(
        async () => {
          throw error;
        },
        { env },
      );
      expect(result.stderr).toContain('[Redacted]');
      expect(result.stderr).not.toMatch(/SuperSecretKeyValue1|SessionTokenValue2/);
    }
  });

  it('returns only once a slow stdout has written everything, so exiting right after loses nothing', async () => {
    let written = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          written += chunk.length;
          done();
        }, 5);
      },
    });
    const code = await runStage(
      program(async (_options, { stdout }) => {
        for (let i = 0; i < 20; i++) stdout.write('x'.repeat(4096));
      }),
      { argv: [], env: {}, stdout: slow, stderr: new PassThrough(), signal: new AbortController().signal },
    );
    expect(code).toBe(ExitCode.Ok);
    expect(written).toBe(20 * 4096);
  });
});
