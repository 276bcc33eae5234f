import { CountLinesParser, type WordCounts } from '@wordbatch/word-count';
import type { CountWorkerHandle, FileCount, FileCounter, ShardCounter, ShardCounterOptions } from './count-pool';
import type { CountWorkerData, FromCountWorker } from './count-worker';

/**
 * Objects planned below this size are counted in the calling thread: the messages that
 * would carry one to a worker cost about as much as counting it (and the reading thread
 * spends far more on the request itself).
 */
export const THREADED_MIN_BYTES = 64 * 1024;
/**
 * Bytes travel to a thread in batches of this size, in buffers that the thread hands back
 * once counted: a message per network chunk (often 16 KiB) would cost the reading thread
 * more than the reads, and fresh buffers would pile up as garbage (V8 frees them only at a
 * collection, which the little JavaScript allocation here rarely brings about).
 */
const BATCH_BYTES = 256 * 1024;
/**
 * Bytes sent to a thread and not yet counted, above which writers wait: enough to keep the
 * thread busy for a while, little enough that a fast network cannot fill the memory.
 */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/**
 * Worker threads that count while the calling thread reads. Each object goes whole to one
 * thread (a counter's state cannot be split): to an idle thread, started when first needed,
 * else to the thread with the least work ahead of it by planned sizes. Small objects are
 * counted in the calling thread.
 */
export class CountThreads implements ShardCounter {
  private readonly abort = new AbortController();
  private readonly pool: CountThread[] = [];
  private readonly workerData: CountWorkerData;
  private nextFile = 0;
  private closing = false;
  private finishParser: CountLinesParser | undefined;

  /** `local` counts the small objects, in the calling thread. */
  constructor(
    private readonly options: ShardCounterOptions,
    private readonly local: ShardCounter,
  ) {
    this.workerData = { role: 'count-worker', tokenizer: options.tokenizer, perFile: options.perFile };
  }

  /** Threads started so far (they start on demand, up to `options.threads`). */
  get threads(): number {
    return this.pool.length;
  }

  get failed(): AbortSignal {
    return this.abort.signal;
  }

  get failure(): Error | undefined {
    return this.abort.signal.aborted ? (this.abort.signal.reason as Error) : undefined;
  }

  openFile(plannedBytes: number): FileCounter {
    if (plannedBytes < THREADED_MIN_BYTES) return this.local.openFile(plannedBytes);
    this.abort.signal.throwIfAborted();
    return new PooledFile(this.pickThread(), this.nextFile++, plannedBytes);
  }

  async finish(): Promise<WordCounts> {
    this.abort.signal.throwIfAborted();
    const counts = await this.local.finish();
    this.finishParser = new CountLinesParser(counts);
    await Promise.all(this.pool.map((thread) => thread.finish()));
    this.finishParser.end();
    return counts;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.pool.map((thread) => thread.handle.terminate()));
  }

  private pickThread(): CountThread {
    const idle = this.pool.find((thread) => thread.openFiles === 0);
    if (idle) return idle;
    if (this.pool.length < this.options.threads) return this.startThread();
    return this.pool.reduce((least, candidate) => (candidate.workAhead < least.workAhead ? candidate : least));
  }

  private startThread(): CountThread {
    const handle = this.options.spawn(this.workerData);
    const thread = new CountThread(handle, this.abort.signal);
    handle.on('message', (message) => this.receive(thread, message));
    handle.on('error', (error) => this.fail(error));
    handle.on('exit', (exitCode) => {
      if (!this.closing) this.fail(new Error(`a counting thread exited (code ${exitCode})`));
    });
    this.pool.push(thread);
    return thread;
  }

  private receive(thread: CountThread, message: FromCountWorker): void {
    if (message.type === 'counts') {
      // Pieces end at line ends, so pieces from different threads may interleave.
      this.finishParser?.write(message.lines);
    } else if (message.type === 'failed') {
      const error = new Error(`counting failed: ${message.message}`);
      if (message.stack) error.stack = message.stack;
      this.fail(error);
    } else {
      thread.receive(message);
    }
  }

  /** Every waiting caller learns of the failure at once; readers stop through `failed`. */
  private fail(error: Error): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort(error);
    for (const thread of this.pool) thread.rejectAll(error);
  }
}

/** The calling thread's account of one counting thread. */
class CountThread {
  openFiles = 0;
  /** Still to come from the open objects, by their planned sizes. */
  pendingBytes = 0;
  /** Sent and not yet counted. */
  private queuedBytes = 0;
  /** Batch buffers the thread has handed back. */
  private readonly spares: ArrayBuffer[] = [];
  private readonly writers: Array<Waiter<void>> = [];
  private readonly ends = new Map<number, Waiter<FileCount>>();
  private finishing: Waiter<void> | undefined;

  constructor(
    readonly handle: CountWorkerHandle,
    readonly failed: AbortSignal,
  ) {}

  get workAhead(): number {
    return this.queuedBytes + this.pendingBytes;
  }

  batchBuffer(): Uint8Array {
    return new Uint8Array(this.spares.pop() ?? new ArrayBuffer(BATCH_BYTES));
  }

  send(file: number, bytes: Uint8Array): void {
    this.queuedBytes += bytes.length;
    this.handle.postMessage({ type: 'write', file, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  /** A promise while this thread is too far behind; undefined otherwise. */
  backlog(): Promise<void> | undefined {
    if (this.queuedBytes <= HIGH_WATER_BYTES) return undefined;
    return new Promise<void>((resolve, reject) => this.writers.push({ resolve, reject }));
  }

  end(file: number, last: Uint8Array | undefined): Promise<FileCount> {
    this.queuedBytes += last?.length ?? 0;
    return new Promise<FileCount>((resolve, reject) => {
      this.ends.set(file, { resolve, reject });
      this.handle.postMessage({ type: 'end', file, bytes: last }, last ? [last.buffer as ArrayBuffer] : undefined);
    });
  }

  discard(file: number, unsent: Uint8Array | undefined): void {
    if (unsent) this.spares.push(unsent.buffer as ArrayBuffer);
    if (!this.failed.aborted) this.handle.postMessage({ type: 'discard', file });
  }

  finish(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.finishing = { resolve, reject };
      this.handle.postMessage({ type: 'finish' });
    });
  }

  receive(message: Exclude<FromCountWorker, { type: 'counts' | 'failed' }>): void {
    switch (message.type) {
      case 'counted':
        this.counted(message.bytes, message.buffer);
        break;
      case 'ended': {
        if (message.buffer) this.counted(message.bytes, message.buffer);
        const waiter = this.ends.get(message.file);
        this.ends.delete(message.file);
        waiter?.resolve({ words: message.words, fileCounts: message.fileCounts });
        break;
      }
      case 'finished':
        this.finishing?.resolve();
        break;
    }
  }

  rejectAll(error: Error): void {
    for (const writer of this.writers.splice(0)) writer.reject(error);
    for (const waiter of this.ends.values()) waiter.reject(error);
    this.ends.clear();
    this.finishing?.reject(error);
  }

  private counted(bytes: number, buffer: ArrayBuffer): void {
    this.spares.push(buffer);
    this.queuedBytes -= bytes;
    if (this.queuedBytes <= HIGH_WATER_BYTES && this.writers.length > 0) {
      for (const writer of this.writers.splice(0)) writer.resolve();
    }
  }
}

/** One object on its way to its thread, gathered into batches. */
class PooledFile implements FileCounter {
  private batch: Uint8Array | undefined;
  private batchLength = 0;
  private settled = false;

  constructor(
    private readonly thread: CountThread,
    private readonly file: number,
    /** Planned bytes not yet sent. */
    private pending: number,
  ) {
    thread.openFiles++;
    thread.pendingBytes += pending;
  }

  write(utf8: Uint8Array): Promise<void> | undefined {
    this.thread.failed.throwIfAborted();
    for (let offset = 0; offset < utf8.length; ) {
      this.batch ??= this.thread.batchBuffer();
      const length = Math.min(utf8.length - offset, this.batch.length - this.batchLength);
      this.batch.set(utf8.subarray(offset, offset + length), this.batchLength);
      this.batchLength += length;
      offset += length;
      if (this.batchLength === this.batch.length) this.thread.send(this.file, this.takeBatch());
    }
    return this.thread.backlog();
  }

  end(): Promise<FileCount> {
    if (this.thread.failed.aborted) return Promise.reject(this.thread.failed.reason as Error);
    const last = this.batchLength > 0 ? this.takeBatch() : undefined;
    this.settle();
    return this.thread.end(this.file, last);
  }

  discard(): void {
    if (this.settled) return;
    const unsent = this.batch;
    this.batch = undefined;
    this.settle();
    this.thread.discard(this.file, unsent);
  }

  private takeBatch(): Uint8Array {
    const bytes = (this.batch as Uint8Array).subarray(0, this.batchLength);
    this.batch = undefined;
    this.batchLength = 0;
    const planned = Math.min(this.pending, bytes.length);
    this.pending -= planned;
    this.thread.pendingBytes -= planned;
    return bytes;
  }

  private settle(): void {
    this.settled = true;
    this.thread.openFiles--;
    this.thread.pendingBytes -= this.pending;
    this.pending = 0;
  }
}
