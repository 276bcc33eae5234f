// Bounded concurrency for every project, stages and libs alike: it imports nothing, so a lib that
// needs it (plan-inputs' lookups) takes the same loop the stages use instead of keeping its own.

/**
 * Runs `work` over `items` with at most `limit` in flight, in input order of starting.
 * Stops starting new work at the first failure (of `work` or of reading `items`) or abort,
 * waits for what is running, then rethrows the first error: nothing is left running behind
 * the caller's back.
 */
export async function forEachConcurrent<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : toAsync(items[Symbol.iterator]());
  let failure: { error: unknown } | undefined;
  let index = 0;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      if (signal?.aborted) {
        failure = { error: signal.reason };
        return;
      }
      try {
        const step = await iterator.next();
        if (step.done) return;
        await work(step.value, index++);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure !== undefined) throw failure.error;
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return { next: async () => iterator.next() };
}
