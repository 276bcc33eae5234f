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
  /** The memory of finished parts' buffers, for reads with `reuseBuffers`: never more than `parts` exist. */
  private readonly spareBuffers: ArrayBuffer[] = [];

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

  /** A buffer of `bytes` (a whole part) for a part just taken: a spare one when there is one. */
  partBuffer(bytes: number): Buffer {
    const spare = this.spareBuffers.pop();
    return spare !== undefined && spare.byteLength >= bytes ? Buffer.from(spare, 0, bytes) : Buffer.allocUnsafeSlow(bytes);
  }

  /**
   * Keeps the buffer behind a part's view for the next part (before giveBack, so that part
   * finds it): its whole memory, also when the view is a shorter last part.
   */
  keepBuffer(view: Buffer): void {
    if (this.spareBuffers.length < this.parts) this.spareBuffers.push(view.buffer as ArrayBuffer);
  }
}

/**
 * With `reuseBuffers`, the size of the views a part is handed on in: small enough that a
 * consumer counting on the calling thread lets the parts ahead arrive in between.
 */
const VIEW_BYTES = 1024 * 1024;

export interface RangedReadOptions {
  /** The planned version: every ranged GET carries If-Match on it, and its answer is checked. */
  readonly etag: string;
  /** The planned version, when the plan names one (a versioned bucket). */
  readonly versionId?: string;
  /** The planned size: the parts cover exactly these bytes. */
  readonly size: number;
  readonly partBytes: number;
  readonly budget: PartBudget;
  /**
   * Copy each part, as it arrives, into one of the budget's part buffers and yield views of
   * it, so the network's buffers die young and the parts cost a fixed `parts` x `partBytes`
   * (without it, spent network buffers wait for V8's next major collection: tens of MB).
   * A view is only valid until the consumer asks for the next chunk: copy what you keep.
   */
  readonly reuseBuffers?: boolean;
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
        if (options.reuseBuffers) {
          for (let offset = 0; offset < chunks[0].length; offset += VIEW_BYTES) yield chunks[0].subarray(offset, offset + VIEW_BYTES);
        } else yield* chunks;
      } finally {
        consumed++;
        if (options.reuseBuffers) budget.keepBuffer(chunks[0]);
        budget.giveBack();
      }
    }
  } finally {
    // Stopped early (an error, a binary object, an abort): cancel and give back the parts ahead.
    stop.abort();
    for (let part = consumed; part < requested; part++) {
      const chunks = await fetching[part]?.catch(() => undefined);
      if (options.reuseBuffers && chunks) budget.keepBuffer(chunks[0]);
      budget.giveBack();
    }
  }
}

/**
 * The bytes [start, end) of the planned version, as the chunks they arrived in, or with
 * `reuseBuffers` as one chunk: a view of a part buffer they were copied into.
 */
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
  const into = options.reuseBuffers ? options.budget.partBuffer(options.partBytes) : undefined;
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
            if (into === undefined) chunks.push(chunk);
            else if (received + chunk.length <= end - start) chunk.copy(into, received);
            received += chunk.length;
          }
        } finally {
          body.destroy();
        }
        if (received !== end - start) {
          throw new InputChangedError(`${what} ended at byte ${start + received} in a part planned to end at ${end}; re-run plan`);
        }
        return into === undefined ? chunks : [into.subarray(0, received)];
      } catch (error) {
        throw toStageError(error, what, signal);
      }
    },
    (error, retry) => (error instanceof TransientError ? retryDelayMs(retry) : undefined),
    signal,
  );
}
