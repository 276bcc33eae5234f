import { CountLinesParser, type WordCounts } from '@wordbatch/word-count';
import type { CountWorkerHandle, FileCount, FileCounter, PieceGroup, ShardCounter, ShardCounterOptions } from './counter';
import type { FilledSlot, FromCountWorker } from './count-worker';
import { SMALL_OBJECT_BYTES } from './in-thread-counter';

/**
 * Bytes travel to a thread in slots of this size: a message per network chunk (often
 * 16 KiB) would cost the reading thread more than the reads.
 */
const SLOT_BYTES = 256 * 1024;
/**
 * Slots per thread (6 MiB): one being filled per open object, the rest sent and not yet
 * counted. When a thread has none free, writers wait: that is the backpressure that keeps
 * a fast network from running ahead of the counting.
 */
const SLOTS_PER_THREAD = 24;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/**
 * Worker threads that count while the calling thread reads. Each object goes whole to one
 * thread (a counter's state cannot be split): to an idle thread, else to a new one while
 * fewer than `options.threads` run, else to the thread with the least work ahead of it (by
 * planned sizes). Small objects are counted in the calling thread (in-thread-counter.ts).
 */
export class CountThreads implements ShardCounter {
  private readonly abort = new AbortController();
  private readonly pool: CountThread[] = [];
  private nextFile = 0;
  private nextGroup = 0;
  private closing = false;
  private finishParser: CountLinesParser | undefined;

  /** `local` counts the small objects, in the calling thread. */
  constructor(
    private readonly options: ShardCounterOptions,
    private readonly local: ShardCounter,
  ) {}

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
    if (plannedBytes < SMALL_OBJECT_BYTES) return this.local.openFile(plannedBytes);
    this.abort.signal.throwIfAborted();
    return new PooledFile(this.pickThread(), this.nextFile++, plannedBytes);
  }

  openGroup(): PieceGroup {
    const group = this.nextGroup++;
    return {
      // Every piece goes to a thread, whatever its size: a piece's counts cannot be gathered.
      openPiece: (plannedBytes) => {
        this.abort.signal.throwIfAborted();
        return new PooledFile(this.pickThread(), this.nextFile++, plannedBytes, group);
      },
      // Every thread hears it: any of them may hold pieces of the group.
      settle: async (keep) => {
        if (this.abort.signal.aborted) {
          if (keep) throw this.abort.signal.reason as Error;
          return [];
        }
        const settled = await Promise.all(this.pool.map((thread) => thread.settle(group, keep)));
        return settled.filter((fileCounts): fileCounts is string => fileCounts !== undefined);
      },
    };
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
    // Idle: nothing open and nothing left to count (an ended object may still be counting).
    const idle = this.pool.find((thread) => thread.openFiles === 0 && thread.workAhead === 0);
    if (idle) return idle;
    if (this.pool.length < this.options.threads) return this.startThread();
    return this.pool.reduce((least, candidate) => (candidate.workAhead < least.workAhead ? candidate : least));
  }

  private startThread(): CountThread {
    const slots = new SharedArrayBuffer(SLOT_BYTES * SLOTS_PER_THREAD);
    const { tokenizer, perFile } = this.options;
    const handle = this.options.spawn({ role: 'count-worker', tokenizer, perFile, slots, slotBytes: SLOT_BYTES });
    const thread = new CountThread(handle, slots, this.abort.signal);
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

/** The calling thread's account of one counting thread and of its slots. */
class CountThread {
  openFiles = 0;
  /** Still to come from the open objects, by their planned sizes. */
  pendingBytes = 0;
  readonly memory: Uint8Array;
  /** Sent and not yet counted. */
  private queuedBytes = 0;
  private readonly freeSlots = Array.from({ length: SLOTS_PER_THREAD }, (_, slot) => slot);
  private readonly slotWaiters: Array<Waiter<void>> = [];
  private readonly ends = new Map<number, Waiter<FileCount>>();
  private readonly settles = new Map<number, Waiter<string | undefined>>();
  private finishing: Waiter<void> | undefined;

  constructor(
    readonly handle: CountWorkerHandle,
    slots: SharedArrayBuffer,
    readonly failed: AbortSignal,
  ) {
    this.memory = new Uint8Array(slots);
  }

  get workAhead(): number {
    return this.queuedBytes + this.pendingBytes;
  }

  /** A free slot's number, or undefined when every slot is in use. */
  takeSlot(): number | undefined {
    return this.freeSlots.pop();
  }

  /** Resolves once a slot was handed back (take it then; another writer may be quicker). */
  slotFreed(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.slotWaiters.push({ resolve, reject }));
  }

  send(file: number, bytes: FilledSlot, group: number | undefined): void {
    this.queuedBytes += bytes.length;
    this.handle.postMessage({ type: 'write', file, bytes, group });
  }

  end(file: number, bytes: FilledSlot | undefined, group: number | undefined): Promise<FileCount> {
    this.queuedBytes += bytes?.length ?? 0;
    return new Promise<FileCount>((resolve, reject) => {
      this.ends.set(file, { resolve, reject });
      this.handle.postMessage({ type: 'end', file, bytes, group });
    });
  }

  discard(file: number, unsentSlot: number | undefined): void {
    if (unsentSlot !== undefined) this.release(unsentSlot);
    if (!this.failed.aborted) this.handle.postMessage({ type: 'discard', file });
  }

  /** Resolves with the thread's per-file counts of the group, when it has any to give. */
  settle(group: number, keep: boolean): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve, reject) => {
      this.settles.set(group, { resolve, reject });
      this.handle.postMessage({ type: 'settle', group, keep });
    });
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
        this.counted(message.bytes);
        break;
      case 'ended': {
        if (message.bytes) this.counted(message.bytes);
        const waiter = this.ends.get(message.file);
        this.ends.delete(message.file);
        waiter?.resolve({ words: message.words, fileCounts: message.fileCounts });
        break;
      }
      case 'settled': {
        const waiter = this.settles.get(message.group);
        this.settles.delete(message.group);
        waiter?.resolve(message.fileCounts);
        break;
      }
      case 'finished':
        this.finishing?.resolve();
        break;
    }
  }

  rejectAll(error: Error): void {
    for (const waiter of this.slotWaiters.splice(0)) waiter.reject(error);
    for (const waiter of this.ends.values()) waiter.reject(error);
    this.ends.clear();
    for (const waiter of this.settles.values()) waiter.reject(error);
    this.settles.clear();
    this.finishing?.reject(error);
  }

  private counted({ slot, length }: FilledSlot): void {
    this.queuedBytes -= length;
    this.release(slot);
  }

  private release(slot: number): void {
    this.freeSlots.push(slot);
    for (const waiter of this.slotWaiters.splice(0)) waiter.resolve();
  }
}

/** One object on its way to its thread, a slot at a time. */
class PooledFile implements FileCounter {
  /** The slot being filled, if any, and how full it is. */
  private slot: number | undefined;
  private filled = 0;
  private settled = false;

  constructor(
    private readonly thread: CountThread,
    private readonly file: number,
    /** Planned bytes not yet sent. */
    private pending: number,
    /** For a piece of a large object: the group its counts are held in. */
    private readonly group?: number,
  ) {
    thread.openFiles++;
    thread.pendingBytes += pending;
  }

  write(utf8: Uint8Array): Promise<void> | undefined {
    this.thread.failed.throwIfAborted();
    const written = this.fill(utf8);
    return written === utf8.length ? undefined : this.writeWhenFree(utf8.subarray(written));
  }

  end(): Promise<FileCount> {
    if (this.thread.failed.aborted) return Promise.reject(this.thread.failed.reason as Error);
    const last = this.slot === undefined ? undefined : this.takeFilled();
    this.settle();
    return this.thread.end(this.file, last, this.group);
  }

  discard(): void {
    if (this.settled) return;
    const unsent = this.slot;
    this.slot = undefined;
    this.settle();
    this.thread.discard(this.file, unsent);
  }

  /** Copies as much of `utf8` into slots as there are slots free; returns how much. */
  private fill(utf8: Uint8Array): number {
    let offset = 0;
    while (offset < utf8.length) {
      this.slot ??= this.thread.takeSlot();
      if (this.slot === undefined) break;
      const length = Math.min(utf8.length - offset, SLOT_BYTES - this.filled);
      this.thread.memory.set(utf8.subarray(offset, offset + length), this.slot * SLOT_BYTES + this.filled);
      this.filled += length;
      offset += length;
      if (this.filled === SLOT_BYTES) this.thread.send(this.file, this.takeFilled(), this.group);
    }
    return offset;
  }

  private async writeWhenFree(rest: Uint8Array): Promise<void> {
    for (let remaining = rest; remaining.length > 0; ) {
      await this.thread.slotFreed();
      this.thread.failed.throwIfAborted();
      remaining = remaining.subarray(this.fill(remaining));
    }
  }

  private takeFilled(): FilledSlot {
    const bytes = { slot: this.slot as number, length: this.filled };
    this.slot = undefined;
    this.filled = 0;
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
