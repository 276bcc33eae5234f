import { InputChangedError, retryDelayMs, retrying, TransientError } from '@wordbatch/errors';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { toStageError } from './errors';
import type { ObjectStore } from './object-store';
import { BODY_READ_ATTEMPTS } from './retry';

/**
 * The parts that may be fetched and not yet consumed, across every object a process reads
 * this way: each holds up to a part of memory, so this bounds what ranged reads buffer, however
 * many large objects are open at once.
 */
export class PartBudget {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly parts: number) {
    if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`a part budget needs at least one part, got ${parts}`);
    this.free = parts;
  }

  /** Takes a part if one is free, without waiting. */
  tryTake(): boolean {
    if (this.free === 0) return false;
    this.free--;
    return true;
  }

  /** Takes a part, waiting for one to be given back; rejects when `signal` aborts. */
  take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(signal?.reason as Error);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  giveBack(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export interface RangedReadOptions {
  /** The planned version: every ranged GET carries If-Match on it, and its answer is checked. */
  readonly etag: string;
  /** The planned version, when the plan names one (a versioned bucket). */
  readonly versionId?: string;
  /** The planned size: the parts cover exactly these bytes. */
  readonly size: number;
  readonly partBytes: number;
  readonly budget: PartBudget;
  readonly signal?: AbortSignal;
}

/**
 * An object's bytes in order, fetched as ranged GETs of `partBytes` with as many parts in
 * flight as `budget` allows, each part pinned to the planned ETag (If-Match), so the parts
 * are all of one version or the read fails as a changed object (exit 3). A part whose body
 * breaks is fetched again from where it broke, so a failure costs a part, never the object.
 *
 * Why: one GET stream from S3 gives roughly 90 MB/s, less than a few cores count, and a
 * single broken connection would otherwise restart a multi-gigabyte read.
 */
export async function* readRanges(store: ObjectStore, path: S3Path, options: RangedReadOptions): AsyncGenerator<Buffer> {
  const { size, partBytes, budget } = options;
  if (!Number.isInteger(partBytes) || partBytes < 1) throw new RangeError(`partBytes must be a positive integer, got ${partBytes}`);
  const partCount = Math.ceil(size / partBytes);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const fetching: Array<Promise<Buffer[]> | undefined> = [];
  let requested = 0;
  let consumed = 0;
  const start = (part: number) => {
    const fetched = fetchPart(store, path, options, part * partBytes, Math.min(size, (part + 1) * partBytes), signal);
    // Awaited in turn below; until then a failure must not count as unhandled.
    fetched.catch(() => undefined);
    fetching[part] = fetched;
  };
  try {
    for (let part = 0; part < partCount; part++) {
      if (requested === part) {
        await budget.take(signal);
        start(requested++);
      }
      while (requested < partCount && budget.tryTake()) start(requested++);
      const chunks = (await fetching[part]) as Buffer[];
      fetching[part] = undefined;
      try {
        yield* chunks;
      } finally {
        consumed++;
        budget.giveBack();
      }
    }
  } finally {
    // Stopped early (an error, a binary object, an abort): cancel and give back the parts ahead.
    stop.abort();
    for (let part = consumed; part < requested; part++) {
      await fetching[part]?.catch(() => undefined);
      budget.giveBack();
    }
  }
}

/** The bytes [start, end) of the planned version, as the chunks they arrived in. */
async function fetchPart(
  store: ObjectStore,
  path: S3Path,
  options: RangedReadOptions,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<Buffer[]> {
  const what = formatS3Path(path);
  const chunks: Buffer[] = [];
  let received = 0;
  // Reads of one part that broke mid-body (BODY_READ_ATTEMPTS in all): each goes on from the last byte that arrived.
  return retrying(
    BODY_READ_ATTEMPTS,
    async () => {
      try {
        const { body, size } = await store.open(path, { ifMatch: options.etag, versionId: options.versionId, range: { start: start + received, end }, signal });
        try {
          if (size !== end - start - received) {
            throw new InputChangedError(
              `${what} answered ${size} bytes to a ranged GET of ${end - start - received} (bytes ${start + received}-${end - 1}); was it changed since planned?`,
            );
          }
          for await (const chunk of body as AsyncIterable<Buffer>) {
            chunks.push(chunk);
            received += chunk.length;
          }
        } finally {
          body.destroy();
        }
        if (received !== end - start) {
          throw new InputChangedError(`${what} ended at byte ${start + received} in a part planned to end at ${end}; re-run plan`);
        }
        return chunks;
      } catch (error) {
        throw toStageError(error, what, signal);
      }
    },
    (error, retry) => (error instanceof TransientError ? retryDelayMs(retry) : undefined),
    signal,
  );
}
