import { join } from 'node:path';
import { runStage, type StageProgram } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import { retryFailedCommand, statusCommand, submitCommand } from './aws/commands';
import { containerLauncher, processLauncher } from './local/launchers';
import { LOCAL_HELP, parseLocalOptions, type LocalOptions } from './local/local-options';
import { reportCommand } from './report/report-command';

const local: StageProgram<LocalOptions> = {
  name: 'local',
  help: LOCAL_HELP,
  parse: parseLocalOptions,
  async execute(options, { stdout, logger, signal }) {
    const { runLocalPipeline } = await import('./local/local-run');
    const launcher =
      options.runtime === 'container'
        ? containerLauncher(options.engine, options.imageTag, process.env)
        : processLauncher(join(__dirname, '..'), process.execPath, process.env);
    const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(`\r\x1b[K${text}`) : undefined;
    const result = await runLocalPipeline(options, { launcher, logger, signal, progress });
    if (progress) process.stderr.write('\r\x1b[K');
    stdout.write(result.output);
    logger.info({ files: result.files, dataDir: result.dataDir, report: result.report }, 'Local:Done');
    // On stderr: stdout carries only the results, which may be piped.
    process.stderr.write(`wordbatch local: report: ${result.report}\n`);
  },
};

const commands: Record<string, StageProgram<never>> = {
  local: local as StageProgram<never>,
  submit: submitCommand({ stderr: process.stderr }) as StageProgram<never>,
  status: statusCommand({ stderr: process.stderr }) as StageProgram<never>,
  'retry-failed': retryFailedCommand({ stderr: process.stderr }) as StageProgram<never>,
  report: reportCommand as StageProgram<never>,
};

const [command, ...rest] = process.argv.slice(2);
const controller = new AbortController();
process.once('SIGTERM', () => controller.abort());
process.once('SIGINT', () => controller.abort());
const program = commands[command ?? ''];
if (program === undefined) {
  process.stderr.write(`wordbatch: error: ${new UsageError(`unknown command "${command ?? ''}"; use one of: ${Object.keys(commands).join(', ')}`).message}\n`);
  process.exit(2);
}
void runStage(program, { argv: rest, env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
  (code) => process.exit(code),
);
