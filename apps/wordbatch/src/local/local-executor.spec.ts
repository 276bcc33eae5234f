import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '@wordbatch/errors';
import type { PipelineRun } from '@wordbatch/pipeline';
import { runLocally, type StageLauncher } from './local-executor';

const oneStage: PipelineRun = {
  name: 'run',
  plan: 's3://results/plans/run.json',
  destination: 's3://results/out/',
  stages: [{ stage: 'plan', args: [], arraySize: 1, dependsOn: [] }],
};

function launcherRunning(argv: string[]): StageLauncher {
  return { command: () => ({ argv, env: { PATH: process.env['PATH'] ?? '' } }) };
}

describe('runLocally: what this machine lacks is exit 6, not a bug', () => {
  let logDir: string;
  beforeEach(() => (logDir = mkdtempSync(join(tmpdir(), 'local-executor-'))));
  afterEach(() => rmSync(logDir, { recursive: true, force: true }));
  const run = (argv: string[]) =>
    runLocally(oneStage, { launcher: launcherRunning(argv), env: {}, parallel: 1, logDir, signal: new AbortController().signal });

  it('names a container engine that is not on PATH', async () => {
    await expect(run(['wordbatch-no-such-engine', 'run'])).rejects.toMatchObject({
      exitCode: ExitCode.Environment,
      message: expect.stringContaining('wordbatch-no-such-engine not found on PATH'),
    });
  });

  it('passes on the engine saying its daemon is not running', async () => {
    const docker = [process.execPath, '-e', 'console.error("docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"); process.exit(125)'];
    await expect(run(docker)).rejects.toMatchObject({
      exitCode: ExitCode.Environment,
      message: expect.stringContaining('Cannot connect to the Docker daemon'),
    });
  });

  it('keeps a stage failure as the stage exit code', async () => {
    const failing = [process.execPath, '-e', 'console.error("wordbatch plan: error: --source: bucket missing"); process.exit(3)'];
    await expect(run(failing)).rejects.toMatchObject({ exitCode: ExitCode.InputChanged, message: expect.stringContaining('bucket missing') });
  });
});

describe('runLocally: the plain lines a stage prints for a person', () => {
  let logDir: string;
  beforeEach(() => (logDir = mkdtempSync(join(tmpdir(), 'local-executor-'))));
  afterEach(() => rmSync(logDir, { recursive: true, force: true }));

  it('are passed on, one each and in order, without the JSON log lines, even when split across writes', async () => {
    const script = [
      'process.stderr.write(JSON.stringify({ level: "info", event: "Merge:Done" }) + "\\n");',
      'process.stderr.write("wordbatch merge: 2 objects skipped (binary 2): listed");',
      'setTimeout(() => { process.stderr.write(" under \\"skipped\\"\\nwordbatch merge: warning: 1 objects had byte sequences invalid in utf-8\\n"); }, 50);',
    ].join('\n');
    const notes: string[] = [];
    await runLocally(oneStage, {
      launcher: launcherRunning([process.execPath, '-e', script]),
      env: {},
      parallel: 1,
      logDir,
      signal: new AbortController().signal,
      onNote: (line) => notes.push(line),
    });
    expect(notes).toEqual([
      'wordbatch merge: 2 objects skipped (binary 2): listed under "skipped"',
      'wordbatch merge: warning: 1 objects had byte sequences invalid in utf-8',
    ]);
  });

  it('are not passed on from a copy that failed: its error says what went wrong', async () => {
    const notes: string[] = [];
    const failing = [process.execPath, '-e', 'console.error("a note"); console.error("wordbatch plan: error: bad"); process.exit(2)'];
    await expect(
      runLocally(oneStage, { launcher: launcherRunning(failing), env: {}, parallel: 1, logDir, signal: new AbortController().signal, onNote: (line) => notes.push(line) }),
    ).rejects.toMatchObject({ exitCode: ExitCode.Usage });
    expect(notes).toEqual([]);
  });
});
