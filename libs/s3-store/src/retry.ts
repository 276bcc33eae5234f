import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { DefaultRateLimiter } from '@smithy/util-retry';
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
 * How fast one process sends requests, learned from S3's answers: the SDK's adaptive retry
 * mode's client-side token bucket (`DefaultRateLimiter`: off until the first throttling answer,
 * then a CUBIC rate that a throttle cuts to 0.7× and successes grow back, never below 0.5 a
 * second). S3 refuses a prefix's requests past about 5,500 GET and 3,500 PUT a second with
 * 503 SlowDown; a thousand children each sending as fast as its connections allow exceed that
 * however long each waits between its own retries, so each child also slows down as a whole.
 * One per process, shared by the SDK client and the direct GETs (direct-get.ts).
 */
export interface SendRateLimiter {
  /** Resolves when the next request may be sent. */
  getSendToken(): Promise<void>;
  /** Told of every answer: an error (throttling cuts the rate) or `{}` for a success. */
  updateClientSendingRate(answer: unknown): void;
}

/**
 * The SDK's retry decision (throttling and transient errors: 500/502/503/504, timeouts, resets,
 * refused connections) with a bounded, predictable backoff per request, paced by the process's
 * send rate (the SDK's adaptive mode, `sendRate`). Unlike the SDK's standard strategy (50 ms
 * base, full jitter, a retry budget shared by the whole client), a short outage is not allowed
 * to fail a shard that has counted for an hour: every request keeps its own `maxAttempts` and
 * waits as retryDelayMs says. The total stays bounded, and a stage that still fails exits 75,
 * which Batch retries. Unlike the SDK's adaptive strategy, a retry also waits for a send token,
 * not only a first try: under throttling, retries are most of what a child sends.
 */
export class BoundedRetryStrategy implements RetryStrategyV2 {
  constructor(
    private readonly maxAttempts: number,
    private readonly random: () => number = Math.random,
    readonly sendRate: SendRateLimiter = new DefaultRateLimiter(),
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    await this.sendRate.getSendToken();
    return retryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    this.sendRate.updateClientSendingRate(errorInfo);
    const retry = token.getRetryCount() + 1;
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    if (!retryable || retry >= this.maxAttempts) throw new Error('No retry token available');
    await this.sendRate.getSendToken();
    return retryToken(retry, retryDelayMs(retry, this.random));
  }

  recordSuccess(): void {
    // No retry budget to refill (each request is bounded on its own); a success lets the send rate grow back.
    this.sendRate.updateClientSendingRate({});
  }
}

function retryToken(count: number, delayMs: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delayMs };
}
