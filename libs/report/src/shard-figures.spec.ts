import type { ShardReport } from './load-run';
import { median, shardRows, shardSpread } from './shard-figures';

function shard(shardIndex: number, bytes: number, durationMs?: number, startOffsetMs = 0, skipped = 0): ShardReport {
  return {
    shardIndex,
    header: {
      version: 1,
      kind: 'wordbatch-shard-result',
      planId: 'p',
      shardIndex,
      tokenizer: 'unicode',
      stats: { files: 3, bytes, words: 10, distinctWords: 5, skipped: Array.from({ length: skipped }, (_, i) => ({ name: `s${i}`, reason: 'binary' })) },
    },
    timing:
      durationMs === undefined
        ? undefined
        : { version: 2, kind: 'wordbatch-shard-timing', planId: 'p', shardIndex, startedAt: new Date(1_700_000_000_000 + startOffsetMs).toISOString(), durationMs, countingThreads: 0 },
  };
}

describe('shard figures', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('counts objects as counted plus skipped, and MB/s from bytes and duration', () => {
    const [row] = shardRows([shard(0, 5_000_000, 2000, 0, 2)]);
    expect(row).toMatchObject({ objects: 5, skipped: 2, bytes: 5_000_000, megabytesPerSecond: 2.5, startOffsetMs: 0, straggler: false });
  });

  it('marks shards over 1.5 times the median duration as stragglers, and start times from the first start', () => {
    const rows = shardRows([shard(0, 100, 1000, 300), shard(1, 100, 1100, 0), shard(2, 100, 1600, 50), shard(3, 100, 1400, 20)]);
    // median 1250: 1600 is under 1.5 × 1250 = 1875, so no straggler yet
    expect(rows.map((row) => row.straggler)).toEqual([false, false, false, false]);
    const withSlow = shardRows([shard(0, 100, 1000), shard(1, 100, 1100), shard(2, 100, 5000)]);
    expect(withSlow.map((row) => row.straggler)).toEqual([false, false, true]);
    expect(rows.map((row) => row.startOffsetMs)).toEqual([300, 0, 50, 20]);
  });

  it('calls no shard a straggler among two, and none without timings', () => {
    expect(shardRows([shard(0, 1, 100), shard(1, 1, 10_000)]).some((row) => row.straggler)).toBe(false);
    expect(shardRows([shard(0, 1), shard(1, 1), shard(2, 1)]).map((row) => row.durationMs)).toEqual([undefined, undefined, undefined]);
  });

  it('shows missing shards as missing and leaves them out of the spread', () => {
    const rows = shardRows([shard(0, 100, 1000), { shardIndex: 1 }, shard(2, 300, 3000)]);
    expect(rows[1]).toMatchObject({ missing: true, objects: 0, bytes: 0 });
    expect(shardSpread(rows)).toEqual({ shardsWithResults: 2, medianBytes: 200, maxBytes: 300, medianDurationMs: 2000, maxDurationMs: 3000, stragglers: 0 });
  });
});
