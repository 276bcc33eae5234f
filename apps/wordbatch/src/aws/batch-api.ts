import {
  BatchClient,
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  type JobDetail,
  type JobStatus,
  type JobSummary,
  type SubmitJobCommandInput,
} from '@aws-sdk/client-batch';
import { awsClientSettings } from '@wordbatch/s3-store';
import { AccessDeniedError, retryDelayMs, retrying, sleep, StageError, TerminatedError, TransientError, UsageError } from '@wordbatch/errors';

type Env = Readonly<Record<string, string | undefined>>;

/** Waits `ms`, or rejects when `signal` aborts; injected so that tests never really wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = sleep;

/** DescribeJobs accepts at most this many job ids per call. */
export const DESCRIBE_BATCH_SIZE = 100;
const DEFAULT_ATTEMPTS = 8;

export interface BatchApiOptions {
  readonly sleep: Sleep;
  readonly signal: AbortSignal;
  /** Calls per request before giving up; default $AWS_MAX_ATTEMPTS or 8, as for S3 requests. */
  readonly maxAttempts?: number;
  /** 0..1; the random part of each wait (jitter, `retryDelayMs`), so that many callers spread out. */
  readonly random?: () => number;
  /** Told about each retry, to log it. */
  readonly onRetry?: (event: { readonly operation: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }) => void;
}

/**
 * One AWS Batch client per process, from the standard AWS environment as the AWS CLI reads it
 * (awsClientSettings: AWS_ENDPOINT_URL_BATCH or AWS_ENDPOINT_URL, which --endpoint-url sets;
 * keys, or the profile --profile or AWS_PROFILE names; AWS_REGION or the profile's region).
 * The SDK's own retries are off: SubmitJob is not idempotent, so BatchApi decides what may be retried.
 */
export function createBatchClient(env: Env): BatchClient {
  const { endpoint, region, credentials, profile } = awsClientSettings(env, 'BATCH');
  return new BatchClient({ endpoint, region, credentials, profile, maxAttempts: 1 });
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded']);
const ACCESS = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'TimeoutError']);

function shapeOf(error: unknown): SdkErrorShape {
  return (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
}

export function isThrottling(error: unknown): boolean {
  const shape = shapeOf(error);
  return (
    shape.$metadata?.httpStatusCode === 429 ||
    shape.$retryable?.throttling === true ||
    THROTTLING.has(shape.name ?? '') ||
    /too many requests|rate exceeded|throttl/i.test(shape.message ?? '')
  );
}

/** A server-side or network failure: the request may or may not have taken effect. */
function isServerOrNetwork(error: unknown): boolean {
  const shape = shapeOf(error);
  const status = shape.$metadata?.httpStatusCode;
  return shape.name === 'ServerException' || (status !== undefined && status >= 500) || NETWORK.has(shape.code ?? '') || NETWORK.has(shape.name ?? '');
}

/** The error a user can act on, for a Batch call that failed for good. */
export function toBatchError(error: unknown, operation: string, signal?: AbortSignal): StageError {
  if (error instanceof StageError) return error;
  if (signal?.aborted) return new TerminatedError(signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  const shape = shapeOf(error);
  const detail = (shape.message ?? String(error)).split('\n')[0];
  const status = shape.$metadata?.httpStatusCode;
  if (/region is missing/i.test(detail)) {
    return new UsageError('no AWS region: set AWS_REGION (or a region in your AWS profile)', { cause: error });
  }
  if (shape.name === 'CredentialsProviderError') {
    return new AccessDeniedError(`no AWS credentials for batch:${operation} (set AWS_PROFILE or sign in): ${detail}`, { cause: error });
  }
  if (isThrottling(error)) return new TransientError(`AWS Batch kept throttling ${operation}: ${detail}`, { cause: error });
  if (ACCESS.has(shape.name ?? '') || status === 403 || /not authorized|access denied/i.test(detail)) {
    return new AccessDeniedError(`not allowed to call batch:${operation}: ${detail}`, { cause: error });
  }
  if (isServerOrNetwork(error)) return new TransientError(`AWS Batch ${operation} failed (${shape.code ?? shape.name ?? status}): ${detail}`, { cause: error });
  const hint = /share ?identifier/i.test(detail) ? ' (a fair-share queue needs --share-identifier; other queues refuse it)' : '';
  return new UsageError(`AWS Batch refused ${operation}: ${detail}${hint}`, { cause: error });
}

/**
 * The Batch calls wordbatch makes, each retried by `retrying` with the one backoff: throttling for
 * every call (a throttled request did nothing), server and network errors only for the
 * read-only ones (a SubmitJob that timed out may have created a job).
 */
export class BatchApi {
  private readonly maxAttempts: number;

  constructor(
    readonly client: BatchClient,
    private readonly options: BatchApiOptions,
    env: Env = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? (Number(env['AWS_MAX_ATTEMPTS']) || DEFAULT_ATTEMPTS);
  }

  async region(): Promise<string> {
    try {
      return await this.client.config.region();
    } catch (error) {
      throw toBatchError(error, 'SubmitJob', this.options.signal);
    }
  }

  /** Submits one job and returns its id. */
  async submitJob(input: SubmitJobCommandInput): Promise<string> {
    const output = await this.call('SubmitJob', false, () => this.client.send(new SubmitJobCommand(input), { abortSignal: this.options.signal }));
    if (!output.jobId) throw new TransientError(`AWS Batch accepted job ${input.jobName} without returning its id`);
    return output.jobId;
  }

  /** Describes any number of jobs, at most 100 per call; ids Batch no longer knows are left out. */
  async describeJobs(jobIds: readonly string[]): Promise<JobDetail[]> {
    const jobs: JobDetail[] = [];
    for (let start = 0; start < jobIds.length; start += DESCRIBE_BATCH_SIZE) {
      const batch = jobIds.slice(start, start + DESCRIBE_BATCH_SIZE);
      const output = await this.call('DescribeJobs', true, () =>
        this.client.send(new DescribeJobsCommand({ jobs: batch }), { abortSignal: this.options.signal }),
      );
      jobs.push(...(output.jobs ?? []));
    }
    return jobs;
  }

  /** The children of an array job in one state, every page. */
  async listChildren(arrayJobId: string, jobStatus: JobStatus): Promise<JobSummary[]> {
    const children: JobSummary[] = [];
    let nextToken: string | undefined;
    do {
      const output = await this.call('ListJobs', true, () =>
        this.client.send(new ListJobsCommand({ arrayJobId, jobStatus, nextToken }), { abortSignal: this.options.signal }),
      );
      children.push(...(output.jobSummaryList ?? []));
      nextToken = output.nextToken;
    } while (nextToken);
    return children;
  }

  /** One Batch call within its budget: `maxAttempts` tries, waiting as every retry in wordbatch does. */
  private async call<T>(operation: string, readOnly: boolean, send: () => Promise<T>): Promise<T> {
    const { signal, onRetry } = this.options;
    try {
      return await retrying(
        this.maxAttempts,
        send,
        (error, retry) => {
          if (!isThrottling(error) && !(readOnly && isServerOrNetwork(error))) return undefined;
          const delayMs = retryDelayMs(retry, this.options.random);
          onRetry?.({ operation, attempt: retry, delayMs, reason: shapeOf(error).name ?? 'error' });
          return delayMs;
        },
        signal,
        this.options.sleep,
      );
    } catch (error) {
      throw toBatchError(error, operation, signal);
    }
  }
}
