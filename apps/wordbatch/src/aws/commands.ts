import type { StageProgram } from '@wordbatch/cli';
import type { AwsCommandDeps } from './command-deps';
import { parseRetryFailedOptions, parseStatusOptions, RETRY_FAILED_HELP, STATUS_HELP, type RetryFailedOptions, type StatusOptions } from './run-options';
import { parseSubmitOptions, submitHelp, type SubmitOptions } from './submit-options';

// The actions (and the AWS SDK) are loaded on demand, so that --help and usage errors answer at once.

export function submitCommand(deps: AwsCommandDeps): StageProgram<SubmitOptions> {
  return {
    name: 'submit',
    help: submitHelp,
    parse: (argv) => parseSubmitOptions(argv),
    execute: async (options, context) => (await import('./actions')).submit(options, context, deps),
  };
}

export function statusCommand(deps: AwsCommandDeps): StageProgram<StatusOptions> {
  return {
    name: 'status',
    help: STATUS_HELP,
    parse: (argv) => parseStatusOptions(argv),
    execute: async (options, context) => (await import('./actions')).status(options, context, deps),
  };
}

export function retryFailedCommand(deps: AwsCommandDeps): StageProgram<RetryFailedOptions> {
  return {
    name: 'retry-failed',
    help: RETRY_FAILED_HELP,
    parse: (argv) => parseRetryFailedOptions(argv),
    execute: async (options, context) => (await import('./actions')).retryFailed(options, context, deps),
  };
}
