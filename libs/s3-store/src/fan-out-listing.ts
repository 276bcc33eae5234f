import { setMaxListeners } from 'node:events';
import { compareKeys } from '@wordbatch/s3-path';
import { MAX_KEY_BYTES } from './keys';
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
  /**
   * Objects listed ahead of the reader beyond which the parts nearest it, other than the one
   * being read, wait (parts further ahead already at half this many waiting in all).
   */
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

/** A node's own objects are held (as objects) up to this many; past it, the node is listed as one range (and split by probes). */
const MAX_HELD_OBJECTS = 10_000;

/**
 * Splitting ranges may cost one LIST request (a probe that finds nothing or is superseded, or
 * the last, partial page of a range it made) for every this many pages the listing hands out,
 * on top of SPLIT_REQUESTS_PER_REQUEST per request in flight to begin with: a flat listing of
 * n pages costs at most n + 1 + 2 × concurrency + n / 4 requests. More would buy little: plan
 * spends about 10 ms of CPU on a page of 1,000 keys (docs/performance.md), so about 5
 * requests in flight at S3's ~50 ms a page keep it busy.
 */
const PAGES_PER_SPLIT_REQUEST = 4;
/**
 * What splitting may spend before any page is out, per request in flight: the first splits
 * make a range per idle request, and one per request was too little to split the ranges they
 * made in turn until many pages were out (a 1M-key flat listing took 10.8 s at 50 ms a page in
 * a simulation, 7.7 s with two; `width`, 8 a request, bought nothing more for twice the requests).
 */
const SPLIT_REQUESTS_PER_REQUEST = 2;

/**
 * A part of the listing: the keys below `prefix` from `from` (inclusive) up to `before`
 * (exclusive, the next part's `from`). Unbounded ends mean the whole prefix. `from` is a
 * common prefix where the walk made the part, or a guessed key where a split did.
 */
interface KeyRange {
  readonly prefix: string;
  readonly from?: string;
  readonly before?: string;
}

/**
 * A range is open while the walk may still list it with the delimiter and split it further.
 * `firstPage` is its first page when that has been listed already (the listing's own first page).
 */
type Part = { readonly objects: readonly ListedObject[] } | { readonly range: KeyRange; readonly open: boolean; readonly firstPage?: ListResponse };

/**
 * Every object below `prefix`, in S3's key order, page by page, exactly as one sequential
 * listing gives them, but listed side by side.
 *
 * A listing that fits in one page is that page. Otherwise, when the first page shows folders
 * below `prefix`, they are walked with the `/` delimiter, a level at a time (each level's
 * folders side by side), while there are fewer than `width` parts and levels remain; a folder
 * holding more than MAX_HELD_OBJECTS objects of its own is not walked but becomes a range. The
 * last level's folders are grouped into contiguous key ranges of about `keysPerRange` keys, by
 * how many keys a folder held in the first page (see foldersPerRange); each range is one
 * plain listing from its first folder up to the next range's, so objects between folders are
 * covered too. A first page without folders (a flat prefix, such as S3 access logs) makes
 * the whole prefix one range, its first page already listed.
 *
 * Ranges are listed `concurrency` requests at a time, nearest the reader first, and handed
 * out in order; a range that has listed `keysPerRange` keys and has more is split while it
 * lists, when too few ranges may list to keep the requests busy (see splitRange): it probes
 * for where its remaining keys divide and hands the keys past the first split point to new
 * ranges. A smaller range is not split: a flat listing of a few pages costs no probe. Every
 * range starts just below its `from` and stops at its `before`, so the ranges together list
 * each key exactly once, whatever was guessed.
 *
 * Cost: beyond the sequential listing's pages, the walk's first page and folder pages, one
 * request per range (the page where it ends may be partial), and the splits' probes that
 * find nothing or are superseded; splitting adds at most 2 × `concurrency` + one request per
 * PAGES_PER_SPLIT_REQUEST pages handed out. Memory: about `maxBuffered` to 2 × `maxBuffered`
 * listed objects wait for a slow reader, plus a page per request in flight.
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
  const flat = !first.objects.some((object) => object.key.includes('/', prefix.length));
  const parts: Part[] = flat ? [{ range: { prefix }, open: false, firstPage: first }] : await walk(listPage, prefix, first.objects, options, signal);
  yield* listInOrder(listPage, parts, { ...options, pageLength: first.objects.length }, signal);
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
    const walked = [...children.values()].filter((folder) => folder.objects !== undefined);
    const total = walked.reduce((sum, folder) => sum + folder.prefixes.length, 0);
    if (total === 0) break;
    const expand = total <= options.width;
    const perRange = expand ? 1 : foldersPerRange(prefix, level + 1, firstPage, keysPerRange(options));
    parts = parts.flatMap((part): Part[] => {
      if (!('range' in part) || !part.open) return [part];
      const folder = children.get(part.range) as Folder;
      // Too many objects of its own to walk past them: listed as a range, split as it lists.
      if (folder.objects === undefined) return [{ range: part.range, open: false }];
      if (perRange > 1) return groupRanges(part.range.prefix, folder.prefixes, Math.ceil(folder.prefixes.length / perRange));
      // A folder a part: listed by its own prefix, a part ends where its keys do, without a request past them.
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
  /** The folder's own objects, or undefined when there were too many to hold (its listing then stopped there). */
  readonly objects?: readonly ListedObject[];
  /** Its sub-folders, in key order. */
  readonly prefixes: readonly string[];
}

async function listFolder(listPage: ListPage, prefix: string, signal: AbortSignal): Promise<Folder> {
  const objects: ListedObject[] = [];
  // A set: some S3-compatible servers repeat a common prefix on the pages that follow.
  const prefixes = new Set<string>();
  let token: string | undefined;
  do {
    const page = await listPage({ prefix, delimited: true, continuationToken: token }, signal);
    objects.push(...page.objects);
    // Listing on for the sub-folders would read all of a flat folder's keys one page after another.
    if (objects.length > MAX_HELD_OBJECTS) return { prefixes: [] };
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

/** A key's code points: S3 orders keys by their UTF-8 bytes, which is the order of their code points. */
function codePoints(key: string): number[] {
  return Array.from(key, (character) => character.codePointAt(0) as number);
}

/** The next code point up (none past U+10FFFF); UTF-16 surrogates are not characters and are skipped. */
function nextCodePoint(point: number): number | undefined {
  if (point === 0xd7ff) return 0xe000;
  return point < 0x10ffff ? point + 1 : undefined;
}

function previousCodePoint(point: number): number {
  return point === 0xe000 ? 0xd7ff : point - 1;
}

/**
 * What a range starting at `from` asks S3 to start after (S3 lists the keys above StartAfter,
 * and `from` belongs to the range): `from` with its last character lowered by one and U+10FFFF,
 * the highest, appended, so that only keys beginning with that (none in practice) are listed
 * below `from` and dropped. Where that would pass S3's key length, `from` without its last
 * character (the keys between are dropped too).
 */
export function startAfterFor(from: string): string {
  const points = codePoints(from);
  const last = points.pop() as number;
  const shorter = String.fromCodePoint(...points);
  if (last === 0) return shorter;
  const below = `${shorter}${String.fromCodePoint(previousCodePoint(last), 0x10ffff)}`;
  return Buffer.byteLength(below) <= MAX_KEY_BYTES ? below : shorter;
}

/** A range as it is listed: where it stands, and its pages waiting for the reader. */
interface RangeListing {
  /** Its `before` moves down when the range is split. */
  range: KeyRange;
  /** The next page's continuation token; undefined before the first page and after the last. */
  token?: string;
  started: boolean;
  done: boolean;
  inFlight: boolean;
  /** Objects it has listed so far. */
  listed: number;
  readonly pages: (readonly ListedObject[])[];
  /** Objects in `pages`. */
  waiting: number;
}

type Entry = { readonly objects: readonly ListedObject[] } | RangeListing;

/** Takes a range's page: drops keys below `from`, cuts at `before`, and says whether more of the range follows. */
function takePage(listing: RangeListing, page: ListResponse): readonly ListedObject[] {
  const { from, before } = listing.range;
  let objects = page.objects;
  // A page is in key order: only a page that starts before `from` or ends past `before` is cut.
  if (from !== undefined && objects.length > 0 && compareKeys(objects[0].key, from) < 0) {
    objects = objects.filter((object) => compareKeys(object.key, from) >= 0);
  }
  const endsPast = before !== undefined && objects.length > 0 && compareKeys(objects[objects.length - 1].key, before) >= 0;
  const end = endsPast ? objects.findIndex((object) => compareKeys(object.key, before) >= 0) : -1;
  if (end !== -1) objects = objects.slice(0, end);
  listing.started = true;
  listing.done = end !== -1 || page.nextToken === undefined;
  // Not kept past the range's end: a token may be a slice of its page's text, and the range
  // stays in the list after it is read (10M keys in folders peaked 190 MB higher with it).
  listing.token = listing.done ? undefined : page.nextToken;
  listing.listed += objects.length;
  if (objects.length > 0) {
    listing.pages.push(objects);
    listing.waiting += objects.length;
  }
  return objects;
}

function newListing(range: KeyRange): RangeListing {
  return { range, started: false, done: false, inFlight: false, listed: 0, pages: [], waiting: 0 };
}

interface SplitContext {
  readonly listPage: ListPage;
  readonly signal: AbortSignal;
  /** Ranges this split may make at most. */
  readonly pieces: number;
  /** Takes one request from the splits' budget; false when it is spent. */
  readonly spend: () => boolean;
  /** Takes a new range's first page (probes list it). */
  readonly take: (listing: RangeListing, page: ListResponse) => void;
}

/**
 * Splits the rest of a range whose last page (`page`, its keys within the range) ended at L, with more of the
 * range to come. The range's keys past L lie below `before` (or anywhere below the prefix),
 * so they share L's first c characters (c: the common length of L and `before`). Some depth
 * d ≥ c is where they part from L: the shallowest d with a key between "L's first d
 * characters, then L[d] + 1" (the first key past every key starting with L's first d + 1
 * characters) and `before`. That boundary only moves down as d grows, so "is there a key
 * past it?" is a probe (a listing starting just below it) whose answer turns from no to yes
 * once: found by doubling then halving d, a probe a step. Fixed parts of keys (a date, a
 * name, `part-000`) cost these few probes rather than one per character, and each empty probe
 * narrows the range (nothing lies past its boundary). Then the rest splits at depth d at
 * guessed keys: L's first d characters and each character the page's keys (below the prefix)
 * use, in UTF-8 order, above the one the probe found; the probe's page is the first new
 * range's first page. The range keeps the keys up to the first split point.
 *
 * Returns the new ranges, in key order, to list right after the range. Any split points in
 * order between L and `before` would give the same objects; the guesses decide only how
 * evenly the keys spread over the ranges and how many ranges turn out empty.
 */
async function splitRange(listing: RangeListing, page: readonly ListedObject[], context: SplitContext): Promise<RangeListing[]> {
  const { prefix, before } = listing.range;
  const last = codePoints(page[page.length - 1].key);
  const below = codePoints(prefix).length;
  let common = below;
  if (before !== undefined) {
    const bound = codePoints(before);
    while (common < last.length && common < bound.length && last[common] === bound[common]) common++;
  }
  const boundary = (depth: number): string | undefined => {
    const next = nextCodePoint(last[depth]);
    return next === undefined ? undefined : String.fromCodePoint(...last.slice(0, depth), next);
  };
  /** The listing from `boundary(depth)` within the range, or undefined when it holds no key (or the budget is spent). */
  const probe = async (depth: number): Promise<{ from: string; page: ListResponse } | 'empty' | 'spent'> => {
    const from = boundary(depth);
    const end = listing.range.before;
    if (from === undefined || (end !== undefined && compareKeys(from, end) >= 0)) return 'empty';
    if (!context.spend()) return 'spent';
    const probed = await context.listPage({ prefix, delimited: false, startAfter: startAfterFor(from) }, context.signal);
    const objects = probed.objects;
    const lastProbed = objects.length > 0 ? objects[objects.length - 1].key : undefined;
    const inRange = objects.some((object) => compareKeys(object.key, from) >= 0 && (end === undefined || compareKeys(object.key, end) < 0));
    // Nothing from `from` up to the range's end: only keys below `from` (none in practice) or past the end, or no more keys.
    const past = probed.nextToken === undefined || (end !== undefined && lastProbed !== undefined && compareKeys(lastProbed, end) >= 0);
    if (!inRange && past) {
      listing.range = { ...listing.range, before: from };
      return 'empty';
    }
    return { from, page: probed };
  };

  let empty = common - 1;
  let found: { depth: number; from: string; page: ListResponse } | undefined;
  // Doubling: c, c + 1, c + 3, c + 7, ... up to L's last character.
  for (let step = 1; found === undefined && empty < last.length - 1; step *= 2) {
    const depth = Math.min(empty + step, last.length - 1);
    const result = await probe(depth);
    if (result === 'spent') return [];
    if (result === 'empty') empty = depth;
    else found = { depth, ...result };
  }
  if (found === undefined) return [];
  // Halving between the deepest depth known empty and the shallowest known not.
  while (found.depth - empty > 1) {
    const depth: number = (empty + found.depth) >>> 1;
    const result = await probe(depth);
    if (result === 'spent') break;
    if (result === 'empty') empty = depth;
    else found = { depth, ...result };
  }

  const { depth, from } = found;
  const firstFound = found.page.objects.find((object) => compareKeys(object.key, from) >= 0);
  const floor = firstFound === undefined ? codePoints(from)[depth] : (codePoints(firstFound.key)[depth] ?? 0);
  const used = new Set<number>();
  for (const object of [...page, ...found.page.objects]) {
    const points = codePoints(object.key);
    for (let index = below; index < points.length; index++) used.add(points[index]);
  }
  const base = last.slice(0, depth);
  const end = listing.range.before;
  const guesses = [...used]
    .filter((point) => point > floor)
    .sort((a, b) => a - b)
    .map((point) => String.fromCodePoint(...base, point))
    .filter((key) => compareKeys(key, from) > 0 && (end === undefined || compareKeys(key, end) < 0));
  let wanted = Math.min(guesses.length, context.pieces - 1);
  const points = [from];
  for (let index = 0; index < wanted; index++) {
    if (!context.spend()) {
      wanted = index;
      break;
    }
  }
  for (let index = 0; index < wanted; index++) points.push(guesses[Math.floor((index * guesses.length) / wanted)]);
  const ranges = points.map((start, index) => newListing({ prefix, from: start, before: points[index + 1] ?? end }));
  listing.range = { ...listing.range, before: from };
  context.take(ranges[0], found.page);
  return ranges;
}

/** Lists the parts side by side and yields their pages in part order. */
async function* listInOrder(
  listPage: ListPage,
  parts: readonly Part[],
  options: FanOutOptions & { readonly pageLength: number },
  outerSignal: AbortSignal,
): AsyncGenerator<readonly ListedObject[]> {
  const stop = new AbortController();
  const signal = AbortSignal.any([outerSignal, stop.signal]);
  setMaxListeners(2 * options.concurrency + 10, signal);
  const running = new Set<Promise<void>>();
  const perRange = keysPerRange(options);
  let waiting = 0;
  let listed = 0;
  let spent = 0;
  let inFlight = 0;
  let reading = 0;
  let failure: { error: unknown } | undefined;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    changed = new Promise<void>((resolve) => (wake = resolve));
  };

  const take = (listing: RangeListing, page: ListResponse) => {
    const objects = takePage(listing, page);
    waiting += objects.length;
    listed += objects.length;
    return objects;
  };
  const entries: Entry[] = parts.map((part) => {
    if (!('range' in part)) return part;
    const listing = newListing(part.range);
    if (part.firstPage !== undefined) take(listing, part.firstPage);
    return listing;
  });
  const spend = () => {
    if (spent >= SPLIT_REQUESTS_PER_REQUEST * options.concurrency + Math.floor(listed / (PAGES_PER_SPLIT_REQUEST * options.pageLength))) return false;
    spent++;
    return true;
  };

  /**
   * Calls `visit` on each unfinished range that may list now, nearest the reader first: the
   * one being read always; the `concurrency` nearest the reader while fewer than `maxBuffered`
   * objects wait in them and the ranges before them; any other while fewer than half that wait
   * in all. So ranges far ahead, which a slow reader lets fill what may wait, cannot keep the
   * near ones (which a split may have made after they listed) from listing side by side: with
   * one cap on all, a 10M-key flat listing ran with 1.1 requests in flight. What waits stays
   * within about 2 × `maxBuffered` (the near ranges' and the far ones'; the spec stops a reader
   * and finds the listing stopped there), plus a page per request in flight. Stops when
   * `visit` returns false; `near` says whether the range is one of the nearest.
   */
  const eachListable = (visit: (listing: RangeListing, near: boolean) => boolean) => {
    let ahead = 0;
    let unfinished = 0;
    for (let index = reading; index < entries.length; index++) {
      const entry = entries[index];
      if (!('range' in entry)) continue;
      ahead += entry.waiting;
      if (entry.done) continue;
      const near = unfinished++ < options.concurrency;
      const full = near ? ahead >= options.maxBuffered : waiting >= options.maxBuffered / 2;
      if (index !== reading && full) return;
      if (!visit(entry, near)) return;
    }
  };

  const listNext = (listing: RangeListing) => {
    listing.inFlight = true;
    inFlight++;
    const task = (async () => {
      const { prefix, from } = listing.range;
      const startAfter = listing.started || from === undefined ? undefined : startAfterFor(from);
      const page = await listPage({ prefix, delimited: false, startAfter, continuationToken: listing.token }, signal);
      const objects = take(listing, page);
      if (listing.done || listing.listed < perRange || objects.length === 0) return;
      // Split only when the ranges that may list now are too few for the requests allowed, and
      // only a range near the reader: the new ranges come right after it, near too.
      let listable = 0;
      let near = false;
      eachListable((entry, isNear) => {
        if (entry === listing) near = isNear;
        return ++listable < options.concurrency;
      });
      if (!near || listable >= options.concurrency) return;
      const added = await splitRange(listing, objects, { listPage, signal, pieces: options.concurrency - listable + 1, spend, take });
      if (added.length > 0) entries.splice(entries.indexOf(listing) + 1, 0, ...added);
    })()
      .catch((error: unknown) => {
        failure ??= { error };
        stop.abort();
      })
      .finally(() => {
        listing.inFlight = false;
        inFlight--;
        running.delete(task);
        start();
        notify();
      });
    running.add(task);
  };
  const start = () => {
    if (signal.aborted || inFlight >= options.concurrency) return;
    eachListable((listing) => {
      if (!listing.inFlight) listNext(listing);
      return inFlight < options.concurrency;
    });
  };

  signal.addEventListener('abort', notify, { once: true });
  try {
    for (reading = 0; reading < entries.length; reading++) {
      const entry = entries[reading];
      start();
      if (!('range' in entry)) {
        if (entry.objects.length > 0) yield entry.objects;
        continue;
      }
      for (;;) {
        if (failure !== undefined) throw failure.error;
        signal.throwIfAborted();
        const page = entry.pages.shift();
        if (page !== undefined) {
          entry.waiting -= page.length;
          waiting -= page.length;
          start();
          yield page;
        } else if (entry.done && !entry.inFlight) break;
        else await changed;
      }
    }
  } finally {
    signal.removeEventListener('abort', notify);
    stop.abort();
    notify();
    await Promise.allSettled(running);
  }
}
