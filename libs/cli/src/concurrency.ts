/**
 * Runs `work` over `items` with at most `limit` in flight, in input order of starting.
 * Stops starting new work at the first failure or abort, waits for what is running,
 * then rethrows the first error: nothing is left running behind the caller's back.
 */
export async function forEachConcurrent<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : toAsync(items[Symbol.iterator]());
  let failed = false;
  let firstError: unknown;
  let index = 0;
  const next = async (): Promise<IteratorResult<T>> => iterator.next();
  const worker = async (): Promise<void> => {
    while (!failed) {
      if (signal?.aborted) {
        failed = true;
        firstError ??= signal.reason;
        return;
      }
      const step = await next();
      if (step.done) return;
      const itemIndex = index++;
      try {
        await work(step.value, itemIndex);
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failed) throw firstError;
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return { next: async () => iterator.next() };
}
