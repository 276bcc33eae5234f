import { setMaxListeners } from 'node:events';
import { compareKeys } from '@wordbatch/s3-path';
import type { ListedObject } from './listed-object';

/** One ListObjectsV2 request, as the walk asks for it. */
export interface ListRequest {
  readonly prefix: string;
  /** Roll keys up at the next `/` into common prefixes. */
  readonly delimited: boolean;
  readonly startAfter?: string;
  readonly continuationToken?: string;
}

export interface ListResponse {
  readonly objects: readonly ListedObject[];
  /** Common prefixes, each ending in `/` (delimited requests only). */
  readonly prefixes: readonly string[];
  /** Set when there is another page. */
  readonly nextToken?: string;
}

export type ListPage = (request: ListRequest, signal: AbortSignal) => Promise<ListResponse>;

export interface FanOutOptions {
  /** Listing requests in flight at once. */
  readonly concurrency: number;
  /** How many folder levels below the listed folder the walk may open (0: list sequentially). */
  readonly depth: number;
  /** The walk stops opening folders once it has this many parts to list side by side. */
  readonly width: number;
  /** Objects listed ahead of the reader beyond which parts other than the one being read wait. */
  readonly maxBuffered: number;
}

/** Parts listed side by side per request in flight: enough that one slow part does not hold the rest back. */
const PARTS_PER_REQUEST = 8;
/** Objects listed ahead of the one being read before other parts wait (about 40 MB of them). */
const MAX_LISTED_AHEAD = 200_000;

/** The fan-out for plan's --list-concurrency and --list-depth. */
export function fanOutOptions(concurrency: number, depth: number): FanOutOptions {
  return { concurrency, depth, width: PARTS_PER_REQUEST * concurrency, maxBuffered: MAX_LISTED_AHEAD };
}

/** A node's own objects are held (as objects) up to this many; past it, the node is listed in ranges instead. */
const MAX_HELD_OBJECTS = 10_000;

/**
 * A part of the listing: the keys below `prefix` from `from` (inclusive, a common prefix) up to
 * `before` (exclusive, the next part's `from`). Unbounded ends mean the whole prefix.
 */
interface KeyRange {
  readonly prefix: string;
  readonly from?: string;
  readonly before?: string;
}

/** A range is open while the walk may still list it with the delimiter and split it further. */
type Part = { readonly objects: readonly ListedObject[] } | { readonly range: KeyRange; readonly open: boolean };

/**
 * Every object below `prefix`, in S3's key order, page by page, exactly as one sequential
 * listing gives them, but listed side by side.
 *
 * A listing that fits in one page is that page. Otherwise the folders below `prefix` are
 * walked with the `/` delimiter, a level at a time (each level's folders side by side), while
 * there are fewer than `width` parts and levels remain. The last level's folders are then
 * grouped into contiguous key ranges of about `keysPerRange` keys, by how many keys a folder
 * held in the first page (see foldersPerRange); each range is one plain listing starting
 * after its first folder's predecessor and stopping at the next range's first folder, so
 * objects between folders are covered too, and a walk never costs more than one request per
 * part beyond the sequential listing's pages. Ranges are listed `concurrency` at a time and
 * handed out in order; parts ahead of the one being read stop after `maxBuffered` objects
 * are waiting, so memory stays bounded when one part is much larger than the rest.
 */
export async function* listFannedOut(
  listPage: ListPage,
  prefix: string,
  options: FanOutOptions,
  outerSignal: AbortSignal,
): AsyncGenerator<readonly ListedObject[]> {
  // Each request in flight listens on the signal; Node warns past 10 listeners.
  const signal = AbortSignal.any([outerSignal]);
  setMaxListeners(2 * options.concurrency + 10, signal);
  const first = await listPage({ prefix, delimited: false }, signal);
  if (first.nextToken === undefined || options.depth < 1 || options.concurrency < 2) {
    yield first.objects;
    let token = first.nextToken;
    while (token !== undefined) {
      const page = await listPage({ prefix, delimited: false, continuationToken: token }, signal);
      yield page.objects;
      token = page.nextToken;
    }
    return;
  }
  const parts = await walk(listPage, prefix, first.objects, options, signal);
  yield* listInOrder(listPage, parts, options, signal);
}

/** The parts to list, in key order. */
async function walk(listPage: ListPage, prefix: string, firstPage: readonly ListedObject[], options: FanOutOptions, signal: AbortSignal): Promise<Part[]> {
  let parts: Part[] = [{ range: { prefix }, open: true }];
  for (let level = 0; level < options.depth; level++) {
    const open = parts.filter((part): part is { range: KeyRange; open: true } => 'range' in part && part.open);
    if (open.length === 0 || parts.length >= options.width) break;
    const children = new Map<KeyRange, Folder>();
    await forEachLimited(open, options.concurrency, async (part) => {
      children.set(part.range, await listFolder(listPage, part.range.prefix, signal));
    });
    const total = [...children.values()].reduce((sum, folder) => sum + folder.prefixes.length, 0);
    if (total === 0) break;
    const expand = total <= options.width;
    const perRange = expand ? 1 : foldersPerRange(prefix, level + 1, firstPage, keysPerRange(options));
    parts = parts.flatMap((part): Part[] => {
      if (!('range' in part) || !part.open) return [part];
      const folder = children.get(part.range) as Folder;
      if (perRange > 1) return groupRanges(part.range.prefix, folder.prefixes, Math.ceil(folder.prefixes.length / perRange));
      // A folder a part: listed by its own prefix, a part ends where its keys do, without a request past them.
      if (folder.objects === undefined) return groupRanges(part.range.prefix, folder.prefixes, folder.prefixes.length);
      return interleave(folder.objects, folder.prefixes);
    });
    if (!expand) break;
  }
  return parts;
}

/**
 * Keys a range should hold: small enough that every request in flight has a range to list
 * while the ranges ahead of the reader wait within `maxBuffered` (a range's pages come one
 * after another, so a few large ranges would list as slowly as one sequential listing).
 */
function keysPerRange(options: FanOutOptions): number {
  return Math.max(1, Math.floor(options.maxBuffered / (2 * options.concurrency)));
}

/**
 * How many folders `levels` below `prefix` make a range of about `keys` keys, judged from the
 * first page of the plain listing: its keys spread over some of those folders, so it tells
 * how many keys a folder holds where the listing begins. Folders larger than a page count as
 * a page (one folder a range). A wrong guess only costs time: every range is listed exactly.
 */
function foldersPerRange(prefix: string, levels: number, firstPage: readonly ListedObject[], keys: number): number {
  const folders = new Set<string>();
  for (const object of firstPage) {
    let cut = prefix.length;
    for (let level = 0; level < levels && cut !== -1; level++) {
      const slash = object.key.indexOf('/', cut);
      cut = slash === -1 ? -1 : slash + 1;
    }
    folders.add(cut === -1 ? object.key : object.key.slice(0, cut));
  }
  const keysPerFolder = firstPage.length / Math.max(1, folders.size);
  return Math.max(1, Math.floor(keys / keysPerFolder));
}

/** Runs `work` over `items`, `limit` at a time; stops starting more at the first failure, and rethrows it once all have stopped. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      try {
        await work(items[next++]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}

interface Folder {
  /** The folder's own objects, or undefined when there were too many to hold. */
  readonly objects?: readonly ListedObject[];
  /** Its sub-folders, in key order. */
  readonly prefixes: readonly string[];
}

async function listFolder(listPage: ListPage, prefix: string, signal: AbortSignal): Promise<Folder> {
  let objects: ListedObject[] | undefined = [];
  // A set: some S3-compatible servers repeat a common prefix on the pages that follow.
  const prefixes = new Set<string>();
  let token: string | undefined;
  do {
    const page = await listPage({ prefix, delimited: true, continuationToken: token }, signal);
    if (objects !== undefined) objects.push(...page.objects);
    if (objects !== undefined && objects.length > MAX_HELD_OBJECTS) objects = undefined;
    for (const common of page.prefixes) prefixes.add(common);
    token = page.nextToken;
  } while (token !== undefined);
  return { objects, prefixes: [...prefixes].sort(compareKeys) };
}

/**
 * A folder's objects and sub-folders in key order: every key below a common prefix starts
 * with it and none of the folder's own objects does, so a sub-folder's keys sit exactly where
 * its prefix sorts.
 */
function interleave(objects: readonly ListedObject[], prefixes: readonly string[]): Part[] {
  const parts: Part[] = [];
  let held: ListedObject[] = [];
  let next = 0;
  for (const common of prefixes) {
    while (next < objects.length && compareKeys(objects[next].key, common) < 0) held.push(objects[next++]);
    if (held.length > 0) parts.push({ objects: held });
    held = [];
    parts.push({ range: { prefix: common }, open: true });
  }
  held.push(...objects.slice(next));
  if (held.length > 0) parts.push({ objects: held });
  return parts;
}

/** The keys below `prefix` in `groups` contiguous ranges, cut at sub-folders. */
function groupRanges(prefix: string, subFolders: readonly string[], groups: number): Part[] {
  const count = Math.max(1, Math.min(groups, subFolders.length));
  const cuts = Array.from({ length: count - 1 }, (_, index) => subFolders[Math.round(((index + 1) * subFolders.length) / count)]);
  return Array.from({ length: count }, (_, index) => ({ range: { prefix, from: cuts[index - 1], before: cuts[index] }, open: false }));
}

/** Lists one range, handing each page (maybe empty) to `emit`. */
async function listRange(
  listPage: ListPage,
  range: KeyRange,
  emit: (objects: readonly ListedObject[]) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  // S3 starts after the given key: a range's first folder "p/x/" starts after "p/x", and the
  // few keys between (such as "p/x-1") belong to the range before, so they are dropped here.
  let token: string | undefined;
  let startAfter = range.from?.slice(0, -1);
  for (;;) {
    const page = await listPage({ prefix: range.prefix, delimited: false, startAfter, continuationToken: token }, signal);
    startAfter = undefined;
    let objects = page.objects;
    // A page is in key order: only a page that starts before `from` or ends past `before` is cut.
    if (range.from !== undefined && objects.length > 0 && compareKeys(objects[0].key, range.from) < 0) {
      objects = objects.filter((object) => compareKeys(object.key, range.from as string) >= 0);
    }
    const endsPast = range.before !== undefined && objects.length > 0 && compareKeys(objects[objects.length - 1].key, range.before) >= 0;
    const end = endsPast ? objects.findIndex((object) => compareKeys(object.key, range.before as string) >= 0) : -1;
    if (end !== -1) objects = objects.slice(0, end);
    await emit(objects);
    token = page.nextToken;
    if (end !== -1 || token === undefined) return;
  }
}

interface RangeState {
  readonly pages: (readonly ListedObject[])[];
  done: boolean;
}

/** Lists the parts side by side and yields their pages in part order. */
async function* listInOrder(
  listPage: ListPage,
  parts: readonly Part[],
  options: FanOutOptions,
  outerSignal: AbortSignal,
): AsyncGenerator<readonly ListedObject[]> {
  const stop = new AbortController();
  const signal = AbortSignal.any([outerSignal, stop.signal]);
  setMaxListeners(2 * options.concurrency + 10, signal);
  const states = new Map<number, RangeState>();
  const running = new Set<Promise<void>>();
  let buffered = 0;
  let reading = 0;
  let nextToStart = 0;
  let failure: { error: unknown } | undefined;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    changed = new Promise<void>((resolve) => (wake = resolve));
  };

  const mayRun = (index: number) => index === reading || buffered < options.maxBuffered;
  signal.addEventListener('abort', notify, { once: true });
  const start = () => {
    while (running.size < options.concurrency && nextToStart < parts.length) {
      const index = nextToStart;
      const part = parts[index];
      if (!('range' in part)) {
        nextToStart++;
        continue;
      }
      if (!mayRun(index)) return;
      nextToStart++;
      const state: RangeState = { pages: [], done: false };
      states.set(index, state);
      const task = listRange(
        listPage,
        part.range,
        async (objects) => {
          state.pages.push(objects);
          buffered += objects.length;
          notify();
          while (!mayRun(index) && !signal.aborted) await changed;
        },
        signal,
      ).then(
        () => {
          state.done = true;
        },
        (error: unknown) => {
          failure ??= { error };
          stop.abort();
        },
      );
      running.add(task);
      void task.finally(() => {
        running.delete(task);
        start();
        notify();
      });
    }
  };

  try {
    for (reading = 0; reading < parts.length; reading++) {
      const part = parts[reading];
      notify();
      start();
      if (!('range' in part)) {
        if (part.objects.length > 0) yield part.objects;
        continue;
      }
      for (;;) {
        if (failure !== undefined) throw failure.error;
        signal.throwIfAborted();
        const state = states.get(reading);
        const page = state?.pages.shift();
        if (page !== undefined) {
          buffered -= page.length;
          notify();
          start();
          if (page.length > 0) yield page;
        } else if (state?.done) break;
        else await changed;
      }
      states.delete(reading);
    }
  } finally {
    signal.removeEventListener('abort', notify);
    stop.abort();
    notify();
    await Promise.allSettled(running);
  }
}
