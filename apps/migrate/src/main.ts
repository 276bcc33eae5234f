import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderHelp, runStageAsProcess, type StageProgram } from '@wordbatch/cli';
import type { PlanSettings } from '@wordbatch/plan-schema';
import { MIGRATE_COMMAND, parseMigrateCommand, type MigrateOptions } from '@wordbatch/stage-commands';
// The counting threads' code, bundled apart: a thread compiles that instead of this whole bundle.
import countWorkerSource from 'bundled-source:./count-worker-main';

const program: StageProgram<MigrateOptions> = {
  name: 'migrate',
  help: renderHelp(MIGRATE_COMMAND),
  parse: parseMigrateCommand,
  async execute(options, { env, stdout, logger, signal }) {
    // Loaded on demand so that --help and usage errors answer without loading the AWS SDK.
    const { withObjectStore } = await import('@wordbatch/s3-store');
    const { formatMigrateSummary, runMigrate } = await import('./migrate');
    const { startShardCounter } = await import('./count-pool');
    // Up to one counting thread per core.
    const startCounting = ({ tokenizer, perFile }: PlanSettings) =>
      startShardCounter({
        tokenizer,
        perFile,
        threads: availableParallelism(),
        spawn: (data) => new Worker(countWorkerSource, { eval: true, workerData: data }),
      });
    const summary = await withObjectStore(env, (store) => runMigrate(options, { store, logger, signal, startCounting }));
    stdout.write(formatMigrateSummary(summary));
  },
};

runStageAsProcess(program, process);
