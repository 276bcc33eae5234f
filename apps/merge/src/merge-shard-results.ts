import { UsageError } from '@wordbatch/errors';
import type { PlanHeader, ShardResultHeader } from '@wordbatch/plan-schema';
import type { ObjectStore } from '@wordbatch/s3-store';
import { CountFormatError, CountLinesCollector, mergeCountLines, type CountLinesSource, type MergedWordSink } from '@wordbatch/word-count';
import { openShardResult, type OpenedShardResult } from './open-shard-result';

/**
 * Shard results merged side by side, each an open connection (the client has 64 sockets).
 * More are merged in rounds: a round's merge, held in memory as one sorted body (its size
 * follows the distinct words, not the shard results), is a source of the next round.
 */
const SHARD_RESULTS_AT_ONCE = 32;

interface ReadDeps {
  readonly store: ObjectStore;
  readonly signal: AbortSignal;
}

/**
 * Merges the shard results' words into `sink` in code-point order, each word's counts summed,
 * `atOnce` shard results at a time; returns their headers' stats and the number of distinct words.
 */
export async function mergeShardResults(
  deps: ReadDeps,
  header: PlanHeader,
  shardIndices: readonly number[],
  sink: MergedWordSink,
  atOnce = SHARD_RESULTS_AT_ONCE,
): Promise<{ stats: ShardResultHeader['stats'][]; distinctWords: number }> {
  if (!Number.isInteger(atOnce) || atOnce < 2) throw new RangeError(`atOnce must be an integer of at least 2, got ${atOnce}`);
  const stats: ShardResultHeader['stats'][] = [];
  let mergedSoFar: CountLinesSource | undefined;
  let distinctWords = 0;
  let next = 0;
  do {
    const group = shardIndices.slice(next, next + atOnce - (mergedSoFar === undefined ? 0 : 1));
    next += group.length;
    const opened = await openAll(deps, header, group);
    try {
      const sources = [...(mergedSoFar === undefined ? [] : [mergedSoFar]), ...opened.map((shard) => shard.lines)];
      const collector = next < shardIndices.length ? new CountLinesCollector() : undefined;
      distinctWords = await mergeCountLines(sources, collector?.add ?? sink);
      if (collector !== undefined) mergedSoFar = { name: 'the shard results merged so far', chunks: once(collector.body) };
    } catch (error) {
      if (error instanceof CountFormatError) throw new UsageError(error.message);
      throw error;
    } finally {
      for (const shard of opened) shard.close();
    }
    stats.push(...opened.map((shard) => shard.header.stats));
  } while (next < shardIndices.length);
  return { stats, distinctWords };
}

/** Opens the shard results together; if one fails, closes the others and throws the first failure. */
async function openAll(deps: ReadDeps, header: PlanHeader, shardIndices: readonly number[]): Promise<OpenedShardResult[]> {
  const settled = await Promise.allSettled(shardIndices.map((shardIndex) => openShardResult(deps.store, header, shardIndex, deps.signal)));
  const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure === undefined) return settled.map((outcome) => (outcome as PromiseFulfilledResult<OpenedShardResult>).value);
  for (const outcome of settled) if (outcome.status === 'fulfilled') outcome.value.close();
  throw failure.reason;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
