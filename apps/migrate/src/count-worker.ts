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

/**
 * A piece of a large object (split-file.ts) names its `group` in every message: the thread
 * counts the group's pieces in one counter, whose counts wait there until the object settles.
 */
export type ToCountWorker =
  | { readonly type: 'write'; readonly file: number; readonly bytes: FilledSlot; readonly group?: number }
  /** The object's last bytes may come with its end. */
  | { readonly type: 'end'; readonly file: number; readonly bytes?: FilledSlot; readonly group?: number }
  | { readonly type: 'discard'; readonly file: number }
  /** The object of `group` ended (keep: its held counts join the shard's) or was dropped; answered by 'settled'. */
  | { readonly type: 'settle'; readonly group: number; readonly keep: boolean }
  | { readonly type: 'finish' };

/** Each counted slot is handed back, for the main thread to fill again. */
export type FromCountWorker =
  | { readonly type: 'counted'; readonly bytes: FilledSlot }
  | { readonly type: 'ended'; readonly file: number; readonly words: number; readonly fileCounts?: string; readonly bytes?: FilledSlot }
  | { readonly type: 'counts'; readonly lines: Uint8Array }
  /** `fileCounts`: the group's counts on this thread, when the plan asks for per-file counts, it was kept and the thread had pieces of it. */
  | { readonly type: 'settled'; readonly group: number; readonly fileCounts?: string }
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
const NEWLINE = new Uint8Array([0x0a]);

/** An object being counted: its counter, and the counter's words when the object began (a piece shares its group's counter). */
interface OpenFile {
  readonly counter: WordCounter;
  readonly wordsBefore: number;
}

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
  const open = new Map<number, OpenFile>();
  const shard = new WordCounts();
  /** One counter per large object this thread has counted pieces of, until the object settles. */
  const groups = new Map<number, WordCounter>();
  const openFile = (file: number, group: number | undefined): OpenFile => {
    let entry = open.get(file);
    if (entry === undefined) {
      const counter = group === undefined ? createWordCounter(data.tokenizer) : groupCounter(groups, group, data.tokenizer);
      entry = { counter, wordsBefore: counter.words };
      open.set(file, entry);
    }
    return entry;
  };
  const bytesOf = ({ slot, length }: FilledSlot) => new Uint8Array(data.slots, slot * data.slotBytes, length);

  port.on('message', (message) => {
    try {
      switch (message.type) {
        case 'write':
          openFile(message.file, message.group).counter.write(bytesOf(message.bytes));
          port.postMessage({ type: 'counted', bytes: message.bytes });
          break;
        case 'end': {
          const { counter, wordsBefore } = openFile(message.file, message.group);
          open.delete(message.file);
          if (message.bytes) counter.write(bytesOf(message.bytes));
          let fileCounts: string | undefined;
          if (message.group === undefined) {
            counter.end();
            shard.mergeFrom(counter.counts);
            if (data.perFile) fileCounts = formatFileCounts(counter.counts);
          } else {
            // Ends what the end of an object would (a last word, a joiner, a cut character), so
            // the next piece starts clean; a piece that ended at a newline just gets an empty line.
            counter.write(NEWLINE);
          }
          port.postMessage({ type: 'ended', file: message.file, words: counter.words - wordsBefore, fileCounts, bytes: message.bytes });
          break;
        }
        case 'discard':
          open.delete(message.file);
          break;
        case 'settle': {
          const counter = groups.get(message.group);
          groups.delete(message.group);
          let fileCounts: string | undefined;
          if (message.keep && counter !== undefined) {
            counter.end();
            shard.mergeFrom(counter.counts);
            if (data.perFile) fileCounts = formatFileCounts(counter.counts);
          }
          port.postMessage({ type: 'settled', group: message.group, fileCounts });
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

function groupCounter(groups: Map<number, WordCounter>, group: number, tokenizer: TokenizerName): WordCounter {
  let counter = groups.get(group);
  if (counter === undefined) {
    counter = createWordCounter(tokenizer);
    groups.set(group, counter);
  }
  return counter;
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
