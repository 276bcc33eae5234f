import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runStageAsProcess, type StageProgram } from '@wordbatch/cli';
import { retryFailedCommand, statusCommand, submitCommand } from './aws/commands';
import { localCommand } from './local/local-command';
import { chooseCommand, isStageCommand } from './top-level';
import { reportCommand } from './report/report-command';

const binDir = join(__dirname, '..');
const commands: Record<string, StageProgram<never>> = {
  local: localCommand({ binDir, nodePath: process.execPath, baseEnv: process.env, stderr: process.stderr, pid: process.pid, isRunning }) as StageProgram<never>,
  submit: submitCommand({ stderr: process.stderr }) as StageProgram<never>,
  status: statusCommand({ stderr: process.stderr }) as StageProgram<never>,
  'retry-failed': retryFailedCommand({ stderr: process.stderr }) as StageProgram<never>,
  report: reportCommand as StageProgram<never>,
};

/** Whether a process runs (signal 0 checks without sending anything; EPERM: it runs as someone else). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const action = chooseCommand(process.argv.slice(2));
if (action.kind !== 'command') {
  (action.kind === 'error' ? process.stderr : process.stdout).write(action.text);
  process.exitCode = action.kind === 'error' ? 2 : 0;
} else if (isStageCommand(action.command)) {
  // `wordbatch plan …` runs the stage's own bundle, as its image does; its exit code is ours.
  const child = spawn(process.execPath, [join(binDir, action.command, 'main.js'), ...action.argv], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('close', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
} else {
  runStageAsProcess(commands[action.command], process, action.argv);
}
