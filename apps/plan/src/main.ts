import { renderHelp, runStageAsProcess, type StageProgram } from '@wordbatch/cli';
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

runStageAsProcess(program, process);
