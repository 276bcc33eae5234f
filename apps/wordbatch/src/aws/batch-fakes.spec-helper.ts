import { BatchClient, ClientException, ServerException, type JobDetail, type JobStatus } from '@aws-sdk/client-batch';
import { BatchApi, type Sleep } from './batch-api';

/** A sleep that returns at once and remembers how long it was asked to wait. */
export function fakeSleep(): Sleep & { readonly delays: number[] } {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return Object.assign(sleep, { delays });
}

export const REGION = 'eu-west-1';

/** A BatchApi over a real client (aws-sdk-client-mock stubs its send), with a fake sleep and no jitter. */
export function testApi(sleep: Sleep = fakeSleep(), maxAttempts = 5): BatchApi {
  return new BatchApi(new BatchClient({ region: REGION }), { sleep, signal: new AbortController().signal, random: () => 1, maxAttempts });
}

/** What Batch answers when a caller sends too many requests. */
export function throttled(): Error {
  return new ClientException({ message: 'Too Many Requests.', $metadata: { httpStatusCode: 429 } });
}

export function serverError(): Error {
  return new ServerException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } });
}

export function clientError(message: string): Error {
  return new ClientException({ message, $metadata: { httpStatusCode: 400 } });
}

export function accessDenied(): Error {
  return Object.assign(new Error('User: arn:aws:iam::123456789012:user/dev is not authorized to perform: batch:SubmitJob'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });
}

const DEFINITION_ARN = 'arn:aws:batch:eu-west-1:123456789012:job-definition';
const QUEUE_ARN = 'arn:aws:batch:eu-west-1:123456789012:job-queue/wordbatch-queue';

/** A JobDetail as DescribeJobs returns it for a job of our pipeline. */
export function jobDetail(
  jobId: string,
  jobName: string,
  status: JobStatus,
  extra: Partial<JobDetail> & { command?: string[]; stage?: string } = {},
): JobDetail {
  const { command = [], stage = jobName.split('-').at(-1), ...rest } = extra;
  return {
    jobId,
    jobName,
    status,
    jobQueue: QUEUE_ARN,
    jobDefinition: `${DEFINITION_ARN}/wordbatch-${stage}:3`,
    startedAt: undefined,
    container: { command, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/aws/batch/wordbatch' } } },
    ...rest,
  };
}

/** A failed array child as DescribeJobs returns it. */
export function failedChild(parentId: string, index: number, exitCode: number, logStreamName: string): JobDetail {
  return {
    jobId: `${parentId}:${index}`,
    jobName: 'books-migrate',
    status: 'FAILED',
    statusReason: 'Essential container in task exited',
    jobQueue: QUEUE_ARN,
    jobDefinition: `${DEFINITION_ARN}/wordbatch-migrate:3`,
    startedAt: 1,
    arrayProperties: { index },
    container: { exitCode, logStreamName },
  };
}
