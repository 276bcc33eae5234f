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

/**
 * Splits items into exactly `shardCount` shards of near-equal work, never splitting an item:
 * heaviest first, each onto the lightest shard so far (ties: fewer items, then lower index).
 * An item weighs its size unless `weigh` says otherwise (a compressed object weighs the text
 * it is expected to expand to). A shard's `bytes` are its items' sizes, whatever they weigh.
 * The result depends only on the items and the count, never on their input order.
 */
export function balanceShards<T extends Sizable>(
  items: readonly T[],
  shardCount: number,
  weigh: (item: T) => number = (item) => item.size,
): Shard<T>[] {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shard count must be a positive integer, got ${shardCount}`);
  }
  const weighed = items.map((item) => ({ item, weight: weigh(item) }));
  weighed.sort((a, b) => b.weight - a.weight || compareNames(a.item.name, b.item.name));
  const heap = new ShardHeap(shardCount);
  const members: T[][] = Array.from({ length: shardCount }, () => []);
  for (const { item, weight } of weighed) {
    const lightest = heap.popLightest();
    members[lightest.index].push(item);
    heap.push({ index: lightest.index, bytes: lightest.bytes + weight, files: lightest.files + 1 });
  }
  return members.map((shardItems, index) => ({
    index,
    bytes: shardItems.reduce((sum, item) => sum + item.size, 0),
    items: shardItems.sort((a, b) => compareNames(a.name, b.name)),
  }));
}

/** How many shards `--shard-bytes` asks for: enough that none holds much more, at most one per file. */
export function shardCountForBytes(totalBytes: number, files: number, shardBytes: number, maxShards: number): number {
  const wanted = Math.ceil(totalBytes / shardBytes);
  return Math.max(1, Math.min(wanted, files, maxShards));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Load {
  readonly index: number;
  readonly bytes: number;
  readonly files: number;
}

function lighter(a: Load, b: Load): boolean {
  return a.bytes !== b.bytes ? a.bytes < b.bytes : a.files !== b.files ? a.files < b.files : a.index < b.index;
}

/** A binary min-heap of shard loads: a million items onto 10,000 shards stays fast. */
class ShardHeap {
  private readonly loads: Load[];

  constructor(shardCount: number) {
    this.loads = Array.from({ length: shardCount }, (_, index) => ({ index, bytes: 0, files: 0 }));
  }

  popLightest(): Load {
    const top = this.loads[0];
    const last = this.loads.pop() as Load;
    if (this.loads.length > 0) {
      this.loads[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  push(load: Load): void {
    this.loads.push(load);
    let child = this.loads.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!lighter(this.loads[child], this.loads[parent])) break;
      [this.loads[child], this.loads[parent]] = [this.loads[parent], this.loads[child]];
      child = parent;
    }
  }

  private siftDown(start: number): void {
    let parent = start;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.loads.length && lighter(this.loads[left], this.loads[smallest])) smallest = left;
      if (right < this.loads.length && lighter(this.loads[right], this.loads[smallest])) smallest = right;
      if (smallest === parent) return;
      [this.loads[smallest], this.loads[parent]] = [this.loads[parent], this.loads[smallest]];
      parent = smallest;
    }
  }
}
