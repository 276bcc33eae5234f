import { createWordCounter, formatFileCounts, WordCounts, type TokenizerName, type WordCounter } from '@wordbatch/word-count';

/**
 * The counting side of the count pool (count-threads.ts): a worker thread that tokenizes the
 * bytes the main thread streams to it, one counter per open object, and keeps the counts of
 * every object that ended. Each message below is one step of that conversation.
 *
 * Bytes travel through `slots`, a SharedArrayBuffer cut into slots of `slotBytes`: the main
 * thread fills a slot and names it in a message, the worker counts it and hands it back. No
 * buffer is ever allocated, copied by the messaging or transferred per batch. (Transferring
 * would detach buffers, and once a buffer has been detached in a thread, V8 makes every
 * typed-array access there check for it: the scanner measured a fifth slower.)
 */
export interface CountWorkerData {
  readonly role: 'count-worker';
  readonly tokenizer: TokenizerName;
  /** Whether ending an object also answers with its own counts, in the per-file format. */
  readonly perFile: boolean;
  readonly slots: SharedArrayBuffer;
  readonly slotBytes: number;
}

/** A filled slot: `length` bytes at the start of slot number `slot`. */
export interface FilledSlot {
  readonly slot: number;
  readonly length: number;
}

export type ToCountWorker =
  | { readonly type: 'write'; readonly file: number; readonly bytes: FilledSlot }
  /**
   * The object's last bytes may come with its end. A piece of a large object (split-file.ts)
   * names its `group`: its counts wait there until the whole object settles.
   */
  | { readonly type: 'end'; readonly file: number; readonly bytes?: FilledSlot; readonly group?: number }
  | { readonly type: 'discard'; readonly file: number }
  /** The object of `group` ended (keep: its held counts join the shard's) or was dropped. */
  | { readonly type: 'settle'; readonly group: number; readonly keep: boolean }
  | { readonly type: 'finish' };

/** Each counted slot is handed back, for the main thread to fill again. */
export type FromCountWorker =
  | { readonly type: 'counted'; readonly bytes: FilledSlot }
  | { readonly type: 'ended'; readonly file: number; readonly words: number; readonly fileCounts?: string; readonly bytes?: FilledSlot }
  | { readonly type: 'counts'; readonly lines: Uint8Array }
  | { readonly type: 'finished' }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string };

/** The part of a MessagePort (or of parentPort) the worker uses. */
export interface CountWorkerPort {
  postMessage(message: FromCountWorker): void;
  on(event: 'message', listener: (message: ToCountWorker) => void): unknown;
}

/** `word<TAB>count` lines are handed back in pieces of about this many characters. */
const COUNT_PIECE_CHARS = 1 << 20;
const encoder = new TextEncoder();

/** The entry of a counting thread: `port` and `data` are worker_threads' parentPort and workerData. */
export function startCountWorker(port: CountWorkerPort | null, data: unknown): void {
  const role = typeof data === 'object' && data !== null ? (data as { role?: unknown }).role : undefined;
  if (port === null || role !== 'count-worker') {
    throw new Error(`migrate started a thread it does not know how to run (role ${String(role)})`);
  }
  serveCountWorker(port, data as CountWorkerData);
}

/** Answers the pool's messages on `port` until the thread is terminated. */
export function serveCountWorker(port: CountWorkerPort, data: CountWorkerData): void {
  const open = new Map<number, WordCounter>();
  const shard = new WordCounts();
  /** Counts of ended pieces whose object has not settled yet, by group. */
  const held = new Map<number, WordCounts>();
  const counterOf = (file: number): WordCounter => {
    let counter = open.get(file);
    if (counter === undefined) {
      counter = createWordCounter(data.tokenizer);
      open.set(file, counter);
    }
    return counter;
  };
  const bytesOf = ({ slot, length }: FilledSlot) => new Uint8Array(data.slots, slot * data.slotBytes, length);

  port.on('message', (message) => {
    try {
      switch (message.type) {
        case 'write':
          counterOf(message.file).write(bytesOf(message.bytes));
          port.postMessage({ type: 'counted', bytes: message.bytes });
          break;
        case 'end': {
          const counter = counterOf(message.file);
          open.delete(message.file);
          if (message.bytes) counter.write(bytesOf(message.bytes));
          counter.end();
          if (message.group === undefined) shard.mergeFrom(counter.counts);
          else heldCounts(held, message.group).mergeFrom(counter.counts);
          const fileCounts = data.perFile ? formatFileCounts(counter.counts) : undefined;
          port.postMessage({ type: 'ended', file: message.file, words: counter.words, fileCounts, bytes: message.bytes });
          break;
        }
        case 'discard':
          open.delete(message.file);
          break;
        case 'settle': {
          const counts = held.get(message.group);
          held.delete(message.group);
          if (message.keep && counts !== undefined) shard.mergeFrom(counts);
          break;
        }
        case 'finish':
          for (const lines of countLinePieces(shard)) port.postMessage({ type: 'counts', lines });
          port.postMessage({ type: 'finished' });
          break;
      }
    } catch (error) {
      // Only a bug lands here; the pool fails the shard with it.
      const { message: text, stack } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ type: 'failed', message: text, stack });
    }
  });
}

function heldCounts(held: Map<number, WordCounts>, group: number): WordCounts {
  let counts = held.get(group);
  if (counts === undefined) {
    counts = new WordCounts();
    held.set(group, counts);
  }
  return counts;
}

/**
 * The counts as `word<TAB>count` lines in no particular order (the main thread sorts the
 * shard's words once, when it writes the result), in pieces that each end at a line end.
 */
function* countLinePieces(counts: WordCounts): Generator<Uint8Array> {
  let piece = '';
  for (const [word, count] of counts.entries()) {
    piece += `${word}\t${count}\n`;
    if (piece.length >= COUNT_PIECE_CHARS) {
      yield encoder.encode(piece);
      piece = '';
    }
  }
  if (piece.length > 0) yield encoder.encode(piece);
}
