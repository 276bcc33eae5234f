import { compareKeys } from '@wordbatch/s3-path';

export interface Sizable {
  readonly name: string;
  readonly size: number;
}

export interface Shard<T extends Sizable> {
  readonly index: number;
  readonly bytes: number;
  /** In name order, so a shard's list reads like a directory listing. */
  readonly items: T[];
}

/** Items by position: all the balancing needs to know of them. */
export interface SizedItems {
  readonly length: number;
  /** Stored bytes: what a shard's `bytes` add up. */
  sizeAt(index: number): number;
  /** What the item weighs in the balance (a whole number, its size when not given): a compressed object weighs the text it is expected to expand to. */
  weightAt?(index: number): number;
}

/** Which items each shard holds: shard s holds items `order[starts[s]]` to `order[starts[s + 1] - 1]`, in item order. */
export interface ShardAssignment {
  readonly shardCount: number;
  readonly order: Uint32Array;
  readonly starts: Float64Array;
  /** Stored bytes per shard, whatever the items weigh. */
  readonly bytes: Float64Array;
}

/**
 * Splits items into exactly `shardCount` shards of near-equal work, never splitting an item:
 * heaviest first, each onto the lightest shard so far (ties: fewer items, then lower index).
 * An item weighs its size unless `weightAt` says otherwise. Items of equal weight are taken in
 * item order, so for items in name order the result depends only on the items and the count.
 * O(n log shards): the weights are radix-sorted, the shards kept in a heap of typed arrays, and
 * no object is made per item, so 10,000,000 items take seconds and tens of megabytes.
 */
export function assignShards(items: SizedItems, shardCount: number): ShardAssignment {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shard count must be a positive integer, got ${shardCount}`);
  }
  const count = items.length;
  const weightAt = items.weightAt?.bind(items) ?? ((index: number) => items.sizeAt(index));
  const heaviestFirst = sortByWeightDescending(count, weightAt);
  const shardOf = shardCount <= 0x10000 ? new Uint16Array(count) : new Uint32Array(count);
  const loads = new ShardLoads(shardCount);
  for (let rank = 0; rank < count; rank++) {
    const item = heaviestFirst[rank];
    shardOf[item] = loads.addToLightest(weightAt(item), items.sizeAt(item));
  }
  // Counting sort by shard, in item order within each shard; reuses the sorted array's memory.
  const starts = new Float64Array(shardCount + 1);
  for (let item = 0; item < count; item++) starts[shardOf[item] + 1]++;
  for (let shard = 0; shard < shardCount; shard++) starts[shard + 1] += starts[shard];
  const next = Float64Array.from(starts.subarray(0, shardCount));
  const order = heaviestFirst;
  for (let item = 0; item < count; item++) order[next[shardOf[item]]++] = item;
  return { shardCount, order, starts, bytes: loads.bytes };
}

/** The same split, as arrays of items; items are put in name (S3 key) order first. */
export function balanceShards<T extends Sizable>(items: readonly T[], shardCount: number, weigh: (item: T) => number = (item) => item.size): Shard<T>[] {
  const named = [...items].sort((a, b) => compareKeys(a.name, b.name));
  const assignment = assignShards({ length: named.length, sizeAt: (index) => named[index].size, weightAt: (index) => weigh(named[index]) }, shardCount);
  return Array.from({ length: shardCount }, (_, index) => ({
    index,
    bytes: assignment.bytes[index],
    items: Array.from(assignment.order.subarray(assignment.starts[index], assignment.starts[index + 1]), (item) => named[item]),
  }));
}

/** How many shards `--shard-bytes` asks for: enough that none holds much more, at most one per file. */
export function shardCountForBytes(totalBytes: number, files: number, shardBytes: number, maxShards: number): number {
  const wanted = Math.ceil(totalBytes / shardBytes);
  return Math.max(1, Math.min(wanted, files, maxShards));
}

const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;

/**
 * Item positions by weight, heaviest first, equal weights in item order: a stable least-
 * significant-digit radix sort on 16-bit digits of the weight, as many passes as the largest
 * weight needs (three for anything up to 4 x S3's 5 TiB).
 */
function sortByWeightDescending(count: number, weightAt: (index: number) => number): Uint32Array {
  let largest = 0;
  for (let item = 0; item < count; item++) largest = Math.max(largest, weightAt(item));
  let from = new Uint32Array(count);
  for (let item = 0; item < count; item++) from[item] = item;
  let to = new Uint32Array(count);
  const buckets = new Float64Array(DIGITS + 1);
  for (let scale = 1; scale <= largest; scale *= DIGITS) {
    buckets.fill(0);
    // Descending: digit d goes to bucket DIGITS - 1 - d.
    const bucketOf = (item: number) => DIGITS - 1 - (Math.floor(weightAt(item) / scale) % DIGITS);
    for (let rank = 0; rank < count; rank++) buckets[bucketOf(from[rank]) + 1]++;
    for (let bucket = 0; bucket < DIGITS; bucket++) buckets[bucket + 1] += buckets[bucket];
    for (let rank = 0; rank < count; rank++) {
      const item = from[rank];
      to[buckets[bucketOf(item)]++] = item;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Shard loads in a binary min-heap of typed arrays: the lightest shard is always on top. */
class ShardLoads {
  /** Stored bytes per shard (reported); the heap orders by `weights`. */
  readonly bytes: Float64Array;
  private readonly weights: Float64Array;
  private readonly files: Float64Array;
  /** Shard indices, heap-ordered by (weight, files, index). */
  private readonly heap: Uint32Array;

  constructor(shardCount: number) {
    this.bytes = new Float64Array(shardCount);
    this.weights = new Float64Array(shardCount);
    this.files = new Float64Array(shardCount);
    this.heap = Uint32Array.from({ length: shardCount }, (_, index) => index);
  }

  /** Puts an item of `weight` and `size` on the lightest shard; returns that shard. */
  addToLightest(weight: number, size: number): number {
    const shard = this.heap[0];
    this.weights[shard] += weight;
    this.bytes[shard] += size;
    this.files[shard]++;
    this.siftDown();
    return shard;
  }

  private lighter(a: number, b: number): boolean {
    const { weights, files } = this;
    return weights[a] !== weights[b] ? weights[a] < weights[b] : files[a] !== files[b] ? files[a] < files[b] : a < b;
  }

  private siftDown(): void {
    const heap = this.heap;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heap.length && this.lighter(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && this.lighter(heap[right], heap[smallest])) smallest = right;
      if (smallest === parent) return;
      [heap[smallest], heap[parent]] = [heap[parent], heap[smallest]];
      parent = smallest;
    }
  }
}
