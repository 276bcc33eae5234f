import type { StageProgram } from '@wordbatch/cli';
import { containerLauncher, processLauncher } from './launchers';
import { LOCAL_HELP, parseLocalOptions, type LocalOptions } from './local-options';

/** What `wordbatch local` gets from its process (main.ts). */
export interface LocalCommandDeps {
  /** The folder holding each stage's bundle (<binDir>/<stage>/main.js). */
  readonly binDir: string;
  readonly nodePath: string;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly pid: number;
  readonly isRunning: (pid: number) => boolean;
}

export function localCommand(deps: LocalCommandDeps): StageProgram<LocalOptions> {
  return {
    name: 'local',
    help: LOCAL_HELP,
    parse: parseLocalOptions,
    async execute(options, { stdout, logger, signal, quiet }) {
      const { runLocalPipeline } = await import('./local-run');
      const launcher =
        options.runtime === 'container'
          ? containerLauncher(options.engine, options.imageTag, deps.baseEnv)
          : processLauncher(deps.binDir, deps.nodePath, deps.baseEnv);
      const terminal = deps.stderr.isTTY === true && !quiet;
      const progress = terminal ? (text: string) => deps.stderr.write(`\r\x1b[K${text}`) : undefined;
      // A stage's note is a line of its own, even in the middle of the progress line.
      const note = (line: string) => deps.stderr.write(`${progress ? '\r\x1b[K' : ''}${line}\n`);
      const result = await runLocalPipeline(options, { launcher, logger, signal, progress, note, pid: deps.pid, isRunning: deps.isRunning });
      if (progress) deps.stderr.write('\r\x1b[K');
      stdout.write(result.output);
      logger.info({ files: result.files, results: result.resultsDir, logs: result.runDir, report: result.report }, 'Local:Done');
      // For the person at a terminal, on stderr (stdout carries only the results, which may be
      // piped); a program reading stderr has the same in the Local:Done line above.
      if (terminal) {
        const empty = result.files === 0 ? ' (the folder had no files: nothing was counted)' : '';
        deps.stderr.write(`wordbatch local: results: ${result.resultsDir}${empty}\nwordbatch local: report: ${result.report}\n`);
      }
    },
  };
}
