// How a failed request waits before it tries again. Here, apart from the S3 code, because the
// S3 client, the direct GETs and the Batch client all wait the same way, and a wait must end at
// once when the stage is told to stop (SIGTERM), so that nothing is left half-done behind it.

/** The first retry waits about this long; each later one twice as long as the one before. */
export const FIRST_RETRY_DELAY_MS = 250;
export const MAX_RETRY_DELAY_MS = 20_000;

/**
 * How long to wait before retry number `retry` (1, 2, ...): the exponential step, jittered
 * between half of it and all of it. Half at least, so the window a request keeps trying for
 * is predictable (with 8 attempts, 16 to 32 s) and outlasts a blip; jitter, so thousands of
 * array children that failed together do not come back together.
 */
export function retryDelayMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (retry - 1));
  return Math.floor(step / 2 + (step / 2) * random());
}

/** The longest time a request can spend waiting between its `maxAttempts` attempts. */
export function maxRetryWindowMs(maxAttempts: number): number {
  let total = 0;
  for (let retry = 1; retry < maxAttempts; retry++) total += Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (retry - 1));
  return total;
}

/** Waits `ms`, or rejects with the signal's reason as soon as `signal` aborts (or already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation` (given its attempt number, 1, 2, ...) until it succeeds, and retries a
 * failure as long as `waitBeforeRetry` gives a wait for it and fewer than `attempts` were made.
 * The whole budget is in the call: `attempts` tries at most, each retry after the wait it is
 * given (0 for at once), and none once `signal` aborts (the wait itself ends at the abort).
 * Throws the last failure. `wait` is how a wait is spent: `sleep`, unless a test counts the
 * waits instead of spending them.
 */
export async function retrying<T>(
  attempts: number,
  operation: (attempt: number) => Promise<T>,
  waitBeforeRetry: (error: unknown, retry: number) => number | undefined,
  signal?: AbortSignal,
  wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const waitMs = attempt < attempts && !signal?.aborted ? waitBeforeRetry(error, attempt) : undefined;
      if (waitMs === undefined) throw error;
      if (waitMs > 0) await wait(waitMs, signal);
    }
  }
}
