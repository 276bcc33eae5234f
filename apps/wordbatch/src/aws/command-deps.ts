import type { BatchClient } from '@aws-sdk/client-batch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StageContext } from '@wordbatch/cli';
import type { Sleep } from './batch-api';

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
