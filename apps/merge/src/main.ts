import { renderHelp, runStageAsProcess, type StageProgram } from '@wordbatch/cli';
import { MERGE_COMMAND, parseMergeCommand, type MergeOptions } from '@wordbatch/stage-commands';

const program: StageProgram<MergeOptions> = {
  name: 'merge',
  help: renderHelp(MERGE_COMMAND),
  parse: (argv) => parseMergeCommand(argv),
  async execute(options, { env, stdout, stderr, logger, signal }) {
    // Loaded on demand so that --help and usage errors answer without loading the AWS SDK.
    const { withObjectStore } = await import('@wordbatch/s3-store');
    const { runMerge } = await import('./merge');
    const { formatMergeNotes, formatMergeResult } = await import('./format');
    const result = await withObjectStore(env, (store) => runMerge(options, { store, logger, signal }));
    stdout.write(formatMergeResult(result, options.format));
    stderr.write(formatMergeNotes(result));
  },
};

runStageAsProcess(program, process);
