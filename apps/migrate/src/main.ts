import { runStage, type StageProgram } from '@wordbatch/cli';
import { MIGRATE_HELP, parseMigrateOptions, type MigrateOptions } from './options';

const program: StageProgram<MigrateOptions> = {
  name: 'migrate',
  help: MIGRATE_HELP,
  parse: parseMigrateOptions,
  async execute(options, { env, stdout, logger, signal }) {
    // Loaded on demand so that --help and usage errors answer without loading the AWS SDK.
    const { createS3Client, ObjectStore } = await import('@wordbatch/s3-store');
    const { formatMigrateSummary, runMigrate } = await import('./migrate');
    const client = createS3Client(env);
    try {
      const summary = await runMigrate(options, { store: new ObjectStore(client), logger, signal });
      stdout.write(formatMigrateSummary(summary));
    } finally {
      client.destroy();
    }
  },
};

const controller = new AbortController();
process.once('SIGTERM', () => controller.abort());
void runStage(program, {
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then((code) => process.exit(code));
