import type { BatchClient } from '@aws-sdk/client-batch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StageContext, StageProgram } from '@wordbatch/cli';
import type { Sleep } from './batch-api';
import { parseRetryFailedOptions, parseStatusOptions, RETRY_FAILED_HELP, STATUS_HELP, type RetryFailedOptions, type StatusOptions } from './run-options';
import { parseSubmitOptions, SUBMIT_HELP, type SubmitOptions } from './submit-options';

/** What the AWS commands get from their process; tests replace the clock, the sleep and the clients. */
export interface AwsCommandDeps {
  /** Where progress goes: a bar when it is a terminal, log lines otherwise. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly sleep?: Sleep;
  readonly now?: () => Date;
  readonly batchClient?: (env: StageContext['env']) => BatchClient;
  readonly s3Client?: (env: StageContext['env']) => S3Client;
  readonly readTextFile?: (path: string) => Promise<string>;
}

// The actions (and the AWS SDK) are loaded on demand, so that --help and usage errors answer at once.

export function submitCommand(deps: AwsCommandDeps): StageProgram<SubmitOptions> {
  return {
    name: 'submit',
    help: SUBMIT_HELP,
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
