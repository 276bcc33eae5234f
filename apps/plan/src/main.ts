import { renderHelp, runStage, type StageProgram } from '@wordbatch/cli';
import { PLAN_COMMAND, parsePlanCommand, type PlanOptions } from '@wordbatch/stage-commands';

const program: StageProgram<PlanOptions> = {
  name: 'plan',
  help: renderHelp(PLAN_COMMAND),
  parse: (argv) => parsePlanCommand(argv),
  async execute(options, { env, stdout, stderr, logger, signal }) {
    // Loaded on demand so that --help and usage errors answer without loading the AWS SDK.
    const { withObjectStore } = await import('@wordbatch/s3-store');
    const { formatPlanSummary, runPlan } = await import('./plan');
    const { formatPlanNotes } = await import('./notes');
    const summary = await withObjectStore(env, (store) => runPlan(options, { store, logger, signal }));
    stdout.write(formatPlanSummary(summary));
    stderr.write(formatPlanNotes(summary));
  },
};

const controller = new AbortController();
process.once('SIGTERM', () => controller.abort('SIGTERM'));
process.once('SIGINT', () => controller.abort('SIGINT'));
void runStage(program, {
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then((code) => process.exit(code));
