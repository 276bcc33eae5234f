import fc from 'fast-check';
import { assignShards, balanceShards, shardCountForBytes } from './balance';

function item(name: string, size: number) {
  return { name, size };
}

describe('balanceShards', () => {
  it('gives exactly the asked number of shards, empty ones included', () => {
    const shards = balanceShards([item('a', 5)], 3);
    expect(shards.map((shard) => shard.items.length)).toEqual([1, 0, 0]);
    expect(shards.map((shard) => shard.index)).toEqual([0, 1, 2]);
  });

  it('keeps every item exactly once and never splits one', () => {
    const items = Array.from({ length: 1000 }, (_, i) => item(`f${i}`, (i * 7919) % 1000));
    const shards = balanceShards(items, 7);
    const names = shards.flatMap((shard) => shard.items.map((entry) => entry.name)).sort();
    expect(names).toEqual(items.map((entry) => entry.name).sort());
    expect(shards.reduce((sum, shard) => sum + shard.bytes, 0)).toBe(items.reduce((sum, entry) => sum + entry.size, 0));
  });

  it('balances bytes within the largest item', () => {
    const items = Array.from({ length: 500 }, (_, i) => item(`f${i}`, 1 + ((i * 104729) % 5000)));
    const shards = balanceShards(items, 10);
    const loads = shards.map((shard) => shard.bytes);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(5000);
  });

  it('does not depend on input order', () => {
    const items = Array.from({ length: 200 }, (_, i) => item(`f${i}`, i % 13));
    const reversed = [...items].reverse();
    expect(balanceShards(reversed, 4)).toEqual(balanceShards(items, 4));
  });

  it('spreads equal files evenly by count', () => {
    const shards = balanceShards(Array.from({ length: 10 }, (_, i) => item(`f${i}`, 0)), 3);
    expect(shards.map((shard) => shard.items.length)).toEqual([4, 3, 3]);
  });

  it('lists each shard in name order', () => {
    const [shard] = balanceShards([item('b', 1), item('a', 9), item('c', 5)], 1);
    expect(shard.items.map((entry) => entry.name)).toEqual(['a', 'b', 'c']);
  });

  it('balances by weight when told, while a shard still reports its stored bytes', () => {
    // The 30-byte .gz weighs 120 (4x): it gets a shard of its own, the plain objects share the other.
    const items = [item('a.txt', 50), item('b.txt', 50), item('c.gz', 30)];
    const shards = balanceShards(items, 2, (entry) => (entry.name.endsWith('.gz') ? entry.size * 4 : entry.size));
    expect(shards.map((shard) => shard.items.map((entry) => entry.name))).toEqual([['c.gz'], ['a.txt', 'b.txt']]);
    expect(shards.map((shard) => shard.bytes)).toEqual([30, 100]);
    // By size alone, c.gz would have joined one of them.
    expect(balanceShards(items, 2).map((shard) => shard.items.map((entry) => entry.name))).toEqual([['a.txt', 'c.gz'], ['b.txt']]);
  });

  it('rejects a bad count', () => {
    expect(() => balanceShards([], 0)).toThrow(RangeError);
    expect(() => balanceShards([], 1.5)).toThrow('shard count must be a positive integer, got 1.5');
  });
});

describe('shardCountForBytes', () => {
  it('follows the byte target, bounded by files and the Batch limit', () => {
    expect(shardCountForBytes(10 * 1024 ** 3, 1000, 4 * 1024 ** 3, 10_000)).toBe(3);
    expect(shardCountForBytes(10 * 1024 ** 3, 2, 1024, 10_000)).toBe(2);
    expect(shardCountForBytes(1024 ** 4, 10 ** 6, 1, 10_000)).toBe(10_000);
    expect(shardCountForBytes(0, 0, 1024, 10_000)).toBe(1);
  });
});

describe('assignShards', () => {
  /** The rule written the slow, obvious way: sort, then scan every shard for the lightest. */
  function reference(sizes: readonly number[], shardCount: number, weights: readonly number[] = sizes): number[] {
    const order = sizes.map((_, index) => index).sort((a, b) => weights[b] - weights[a] || a - b);
    const bytes = new Array<number>(shardCount).fill(0);
    const files = new Array<number>(shardCount).fill(0);
    const shardOf = new Array<number>(sizes.length);
    for (const item of order) {
      let lightest = 0;
      for (let shard = 1; shard < shardCount; shard++) {
        if (bytes[shard] < bytes[lightest] || (bytes[shard] === bytes[lightest] && files[shard] < files[lightest])) lightest = shard;
      }
      shardOf[item] = lightest;
      bytes[lightest] += weights[item];
      files[lightest]++;
    }
    return shardOf;
  }

  /**
   * Weights at the radix sort's digit edges (it sorts 16 bits at a time, as many passes as the
   * largest weight needs): a largest weight of exactly 1, 2^16 or 2^32 needs its last pass,
   * which a uniform draw almost never shows.
   */
  const digitEdge = fc.constantFrom(0, 1, 2, 0xffff, 0x10000, 0x10001, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1);
  const sizes = fc.oneof(
    fc.array(fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: 5 * 2 ** 40 }), digitEdge), { maxLength: 400 }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 2 }), digitEdge), { maxLength: 40 }),
  );

  it('puts every item where the largest-first rule says, up to sizes of terabytes', () => {
    fc.assert(
      fc.property(
        sizes,
        fc.integer({ min: 1, max: 40 }),
        (sizes, shardCount) => {
          const assignment = assignShards({ length: sizes.length, sizeAt: (index) => sizes[index] }, shardCount);
          const expected = reference(sizes, shardCount);
          for (let shard = 0; shard < shardCount; shard++) {
            const members = Array.from(assignment.order.subarray(assignment.starts[shard], assignment.starts[shard + 1]));
            expect(members).toEqual(expected.flatMap((owner, item) => (owner === shard ? [item] : [])));
            expect(assignment.bytes[shard]).toBe(members.reduce((sum, item) => sum + sizes[item], 0));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds shard indices above 65,535 (more shards than a 16-bit index can name)', () => {
    const shardCount = 0x10000 + 2;
    const assignment = assignShards({ length: shardCount, sizeAt: () => 1 }, shardCount);
    expect(Array.from(assignment.starts.subarray(shardCount - 3))).toEqual([shardCount - 3, shardCount - 2, shardCount - 1, shardCount]);
    expect(assignment.order[shardCount - 1]).toBe(shardCount - 1);
    expect(assignment.bytes[shardCount - 1]).toBe(1);
  });

  it('balances by weight (a compressed object weighs 4x) while each shard reports its stored bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 * 2 ** 40 }), fc.boolean()), { maxLength: 300 }),
        fc.integer({ min: 1, max: 30 }),
        (entries, shardCount) => {
          const sizes = entries.map(([size]) => size);
          const weights = entries.map(([size, compressed]) => (compressed ? size * 4 : size));
          const assignment = assignShards({ length: sizes.length, sizeAt: (index) => sizes[index], weightAt: (index) => weights[index] }, shardCount);
          const expected = reference(sizes, shardCount, weights);
          for (let shard = 0; shard < shardCount; shard++) {
            const members = Array.from(assignment.order.subarray(assignment.starts[shard], assignment.starts[shard + 1]));
            expect(members).toEqual(expected.flatMap((owner, item) => (owner === shard ? [item] : [])));
            expect(assignment.bytes[shard]).toBe(members.reduce((sum, item) => sum + sizes[item], 0));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
