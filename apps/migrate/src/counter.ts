// What counts a shard's objects, apart from the counters themselves: the pool, the counting
// threads and the in-thread counter all implement or take these, and none imports another for them.
import type { TokenizerName, WordCounts } from '@wordbatch/word-count';
import type { CountWorkerData, FromCountWorker, ToCountWorker } from './count-worker';

/** One object's UTF-8 text on its way to a counter. */
export interface FileCounter {
  /** A returned promise asks the caller to wait before writing more: the counters are behind. */
  write(utf8: Uint8Array): void | Promise<void>;
  /** Settles the object: from now on its counts belong to the shard. */
  end(): Promise<FileCount>;
  /** Drops what was written (a binary object, a read to start over); a no-op after end(). */
  discard(): void;
}

export interface FileCount {
  readonly words: number;
  /** The object's own counts in the per-file format, when the plan asks for them. */
  readonly fileCounts?: string;
}

/** Counts the objects of one shard, in this thread or in a pool of worker threads. */
export interface ShardCounter {
  /** Worker threads started (0: all counting happens in the calling thread). */
  readonly threads: number;
  /** Aborted if counting itself fails (a bug, never bad input): the reads should stop. */
  readonly failed: AbortSignal;
  /** What made `failed` abort. */
  readonly failure: Error | undefined;
  /** `plannedBytes` (the object's planned size) lets the pool spread the work evenly. */
  openFile(plannedBytes: number): FileCounter;
  /** A large object counted in pieces side by side (split-file.ts). */
  openGroup(): PieceGroup;
  /** The shard's counts: every ended object's. Once every file has ended or been discarded. */
  finish(): Promise<WordCounts>;
  close(): Promise<void>;
}

/**
 * The pieces of one large object, each counted by whichever thread is free. A thread counts
 * all the pieces of an object it gets in one counter (a piece ends at a newline, which ends
 * whatever the end of an object would), so a piece costs no counter of its own and no merge.
 * Those counts are held apart until the object settles, so an object that turns out binary,
 * or fails, leaves no trace in the shard, as a whole object would not.
 */
export interface PieceGroup {
  /** A piece: a FileCounter whose end() gives the piece's words (never per-file counts: see settle). */
  openPiece(plannedBytes: number): FileCounter;
  /**
   * Once every piece has ended or been discarded: keep adds the held counts to the shard's.
   * Resolves with the object's counts in the per-file format when the plan asks for them and
   * keep is set: one text per counter that held pieces of it (none otherwise).
   */
  settle(keep: boolean): Promise<readonly string[]>;
}

/** The part of a worker_threads Worker the pool uses (a MessagePort adapter in tests). */
export interface CountWorkerHandle {
  postMessage(message: ToCountWorker): void;
  on(event: 'message', listener: (message: FromCountWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (exitCode: number) => void): unknown;
  terminate(): Promise<unknown>;
}

export interface ShardCounterOptions {
  readonly tokenizer: TokenizerName;
  readonly perFile: boolean;
  /** At most this many counting threads; below 2 the calling thread counts, as a worker would gain nothing. */
  readonly threads: number;
  /** Starts one counting thread (in the bundle: count-worker-main.ts, bundled apart; see main.ts). */
  readonly spawn: (data: CountWorkerData) => CountWorkerHandle;
}
