import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { retryDelayMs } from '@wordbatch/errors';

/**
 * Whole reads of one object whose connection broke after its response began (the request
 * retries, AWS_MAX_ATTEMPTS of them, cover only failures before it). Each read is a new GET
 * with its own request attempts, so one object costs at most BODY_READ_ATTEMPTS ×
 * AWS_MAX_ATTEMPTS GETs (4 × 8 = 32 by default; docs/reliability.md, "The retry budget"). A
 * ranged read's part resumes from its last byte, with the same number of reads per part.
 */
export const BODY_READ_ATTEMPTS = 4;

type RetryStrategyV2 = Extract<NonNullable<S3ClientConfig['retryStrategy']>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<RetryStrategyV2['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<RetryStrategyV2['refreshRetryTokenForRetry']>[1];

/**
 * The SDK's retry decision (throttling and transient errors: 500/502/503/504, timeouts, resets,
 * refused connections) with a bounded, predictable backoff per request. Unlike the SDK's
 * standard strategy (50 ms base, full jitter, a retry budget shared by the whole client), a
 * short outage is not allowed to fail a shard that has counted for an hour: every request
 * keeps its own `maxAttempts` and waits as retryDelayMs says. The total stays bounded, and a
 * stage that still fails exits 75, which Batch retries.
 */
export class BoundedRetryStrategy implements RetryStrategyV2 {
  constructor(
    private readonly maxAttempts: number,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retry = token.getRetryCount() + 1;
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    if (!retryable || retry >= this.maxAttempts) throw new Error('No retry token available');
    return retryToken(retry, retryDelayMs(retry, this.random));
  }

  recordSuccess(): void {
    // No budget to refill: each request is bounded on its own.
  }
}

function retryToken(count: number, delayMs: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delayMs };
}
