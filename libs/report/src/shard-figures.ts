import type { ShardReport } from './load-run';

/** A shard slower than this many times the median duration is called a straggler. */
export const STRAGGLER_FACTOR = 1.5;

/** One row of the per-shard table and one bar of the per-shard chart. */
export interface ShardRow {
  readonly shardIndex: number;
  readonly missing: boolean;
  /** Objects planned and read: counted plus skipped. */
  readonly objects: number;
  readonly skipped: number;
  readonly bytes: number;
  readonly words: number;
  readonly durationMs?: number;
  /** Milliseconds after the first shard started: a late start is queueing, not slowness. */
  readonly startOffsetMs?: number;
  /** Megabytes (10^6 bytes) read per second, as the stages log it. */
  readonly megabytesPerSecond?: number;
  readonly straggler: boolean;
}

/** How uneven the shards were: the largest against the median, for bytes and for duration. */
export interface ShardSpread {
  readonly shardsWithResults: number;
  readonly medianBytes: number;
  readonly maxBytes: number;
  readonly medianDurationMs?: number;
  readonly maxDurationMs?: number;
  readonly stragglers: number;
}

export function shardRows(shards: readonly ShardReport[]): ShardRow[] {
  const durations = shards.flatMap((shard) => (shard.timing ? [shard.timing.durationMs] : []));
  const medianDuration = durations.length > 0 ? median(durations) : undefined;
  const starts = shards.flatMap((shard) => (shard.timing ? [Date.parse(shard.timing.startedAt)] : []));
  const firstStart = starts.length > 0 ? Math.min(...starts) : 0;
  return shards.map(({ shardIndex, header, timing }) => {
    const stats = header?.stats;
    const durationMs = timing?.durationMs;
    return {
      shardIndex,
      missing: header === undefined,
      objects: stats ? stats.files + stats.skipped.length : 0,
      skipped: stats?.skipped.length ?? 0,
      bytes: stats?.bytes ?? 0,
      words: stats?.words ?? 0,
      durationMs,
      startOffsetMs: timing ? Date.parse(timing.startedAt) - firstStart : undefined,
      megabytesPerSecond: durationMs === undefined || stats === undefined || durationMs === 0 ? undefined : stats.bytes / 1e6 / (durationMs / 1000),
      // With one or two shards there is no meaningful "typical" to straggle behind.
      straggler:
        durationMs !== undefined && medianDuration !== undefined && durations.length > 2 && durationMs > STRAGGLER_FACTOR * medianDuration,
    };
  });
}

export function shardSpread(rows: readonly ShardRow[]): ShardSpread {
  const present = rows.filter((row) => !row.missing);
  const bytes = present.map((row) => row.bytes);
  const durations = present.flatMap((row) => (row.durationMs === undefined ? [] : [row.durationMs]));
  return {
    shardsWithResults: present.length,
    medianBytes: bytes.length > 0 ? median(bytes) : 0,
    maxBytes: bytes.length > 0 ? Math.max(...bytes) : 0,
    medianDurationMs: durations.length > 0 ? median(durations) : undefined,
    maxDurationMs: durations.length > 0 ? Math.max(...durations) : undefined,
    stragglers: rows.filter((row) => row.straggler).length,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
