import { setMaxListeners } from 'node:events';
import { forEachConcurrent } from '@wordbatch/concurrency';
import { type Logger, megabytesPerSecond } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import { readPlanHeader, readShardList } from '@wordbatch/plan-io';
import {
  IndexMapError,
  MAX_INDEX_MAP_BYTES,
  parseIndexMap,
  PLAN_VERSION,
  perFileLocation,
  resultsFolder,
  shardResultLocation,
  shardTimingLocation,
  type PlanHeader,
  type PlanItem,
  type InvalidText,
  type PlanSettings,
  type ShardResultHeader,
  type ShardTiming,
  type SkippedFile,
} from '@wordbatch/plan-schema';
import { formatS3Path, isWithin, type S3Path } from '@wordbatch/s3-path';
import { PartBudget, type ObjectStore } from '@wordbatch/s3-store';
import { serializeCountLines, type WordCounts } from '@wordbatch/word-count';
import { countLargeObject, type LargeObjectReading } from './count-large-object';
import { countObject, type ObjectOutcome } from './count-object';
import type { ShardCounter } from './counter';
import { InThreadCounter } from './in-thread-counter';
import type { IndexChoice, MigrateOptions } from '@wordbatch/stage-commands';

/** The timing is not worth holding a finished shard for longer than this. */
const TIMING_WRITE_MS = 10_000;

export interface MigrateDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Counts the shard's objects (count-pool.ts); by default in the calling thread. */
  readonly startCounting?: (settings: PlanSettings) => ShardCounter;
}

export interface MigrateSummary {
  readonly planId: string;
  readonly shardIndex: number;
  readonly shardCount: number;
  readonly result: string;
  readonly stats: ShardResultHeader['stats'];
  readonly durationMs: number;
}

/** Counts one shard and writes its result in one final PUT; nothing is written on failure. */
export async function runMigrate(options: MigrateOptions, deps: MigrateDeps): Promise<MigrateSummary> {
  const started = Date.now();
  const header = await readPlanHeader(deps.store, options.plan, deps.signal);
  const shardIndex =
    options.indexMap === undefined
      ? resolveShardIndex(options.index, header)
      : await resolveMappedShardIndex(options.indexMap, options.index, header, deps);
  const list = await readShardList(deps.store, header, shardIndex, deps.signal);
  deps.logger.info({ planId: header.id, shardIndex, files: list.items.length, bytes: list.bytes }, 'Migrate:ShardStarted');

  const counter = deps.startCounting?.(header.settings) ?? new InThreadCounter(header.settings.tokenizer, header.settings.perFile);
  let tally: ShardTally;
  try {
    const reading = { aboveBytes: options.splitAboveBytes, partBytes: options.partBytes, budget: new PartBudget(options.partsInFlight) };
    tally = await countShard(list.items, header, options.concurrency, deps, counter, reading);
  } catch (error) {
    // Counting failing is a bug; the reads it stopped then failed only as a consequence.
    throw counter.failure ?? error;
  } finally {
    await counter.close();
  }
  const { counts: shardCounts, files, bytes, words, skipped, splitObjects, invalidText } = tally;
  // Objects the plan was given but did not find (plan --allow-missing) are listed with the rest.
  skipped.push(...(list.skipped ?? []));
  skipped.sort((a, b) => compareNames(a.name, b.name));
  invalidText.sort((a, b) => compareNames(a.name, b.name));
  const stats = { files, bytes, words, distinctWords: shardCounts.size, skipped, invalidText };
  const resultHeader: ShardResultHeader = {
    version: PLAN_VERSION,
    kind: 'wordbatch-shard-result',
    planId: header.id,
    shardIndex,
    tokenizer: header.settings.tokenizer,
    stats,
  };
  const location = shardResultLocation(header, shardIndex);
  deps.signal.throwIfAborted();
  await deps.store.putChunks(location, shardResultChunks(resultHeader, shardCounts), {
    signal: deps.signal,
    contentType: 'text/tab-separated-values; charset=utf-8',
  });

  const durationMs = Date.now() - started;
  await writeTiming(deps, header, shardIndex, started, durationMs, counter.threads);
  deps.logger.info(
    {
      planId: header.id,
      shardIndex,
      files,
      bytes,
      words,
      skipped: skipped.length,
      splitObjects,
      countingThreads: counter.threads,
      durationMs,
      // S3 requests this child made (its result's PUT included): the actual figures beside plan's cost estimate.
      requests: { ...deps.store.requests },
      megabytesPerSecond: megabytesPerSecond(bytes, durationMs),
      // Peak memory of the whole process: the proof that objects are streamed, not loaded.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    'Migrate:ShardDone',
  );
  return { planId: header.id, shardIndex, shardCount: header.shardCount, result: formatS3Path(location), stats, durationMs };
}

/**
 * Records how long the shard took, for the report. Written after the result, so that a stop
 * or failure before the result still leaves nothing; and only as a courtesy: the shard is
 * done, so a failure here is logged, and neither a SIGTERM nor a slow S3 undoes the result.
 */
async function writeTiming(
  deps: MigrateDeps,
  header: PlanHeader,
  shardIndex: number,
  started: number,
  durationMs: number,
  countingThreads: number,
): Promise<void> {
  const timing: ShardTiming = {
    version: PLAN_VERSION,
    kind: 'wordbatch-shard-timing',
    planId: header.id,
    shardIndex,
    startedAt: new Date(started).toISOString(),
    durationMs,
    countingThreads,
    requests: { ...deps.store.requests },
  };
  const location = shardTimingLocation(header, shardIndex);
  try {
    await deps.store.put(location, `${JSON.stringify(timing)}\n`, {
      contentType: 'application/json',
      signal: AbortSignal.timeout(TIMING_WRITE_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ planId: header.id, shardIndex, timing: formatS3Path(location), reason }, 'Migrate:TimingNotWritten');
  }
}

interface ShardTally {
  readonly counts: WordCounts;
  readonly files: number;
  readonly bytes: number;
  readonly words: number;
  readonly skipped: SkippedFile[];
  /** Objects read as ranged GETs and counted in pieces. */
  readonly splitObjects: number;
  readonly invalidText: InvalidText[];
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Streams every object of the shard, `concurrency` at a time, through `counter`. */
async function countShard(
  items: Iterable<PlanItem>,
  header: PlanHeader,
  concurrency: number,
  deps: MigrateDeps,
  counter: ShardCounter,
  reading: LargeObjectReading,
): Promise<ShardTally> {
  // Reads stop at SIGTERM, and also if counting itself fails.
  const signal = AbortSignal.any([deps.signal, counter.failed]);
  // Every request in flight listens to it: more than Node's default of 10 is expected here.
  setMaxListeners(2 * concurrency + 10, signal);
  const skipped: SkippedFile[] = [];
  const invalidText: InvalidText[] = [];
  let files = 0;
  let bytes = 0;
  let words = 0;
  let splitObjects = 0;
  await forEachConcurrent(
    items,
    concurrency,
    async (item) => {
      let outcome: ObjectOutcome;
      if (item.size >= reading.aboveBytes) {
        const large = await countLargeObject(deps.store, header, item, signal, counter, reading);
        deps.logger.debug({ name: item.name, bytes: item.size, pieces: large.pieces }, 'Migrate:LargeObjectCounted');
        splitObjects++;
        outcome = large;
      } else {
        outcome = await countObject(deps.store, header, item, signal, (plannedBytes) => counter.openFile(plannedBytes));
      }
      bytes += outcome.bytes;
      if (outcome.kind === 'skipped') {
        skipped.push({ name: item.name, reason: outcome.reason, detail: outcome.detail });
        deps.logger.warn({ name: item.name, reason: outcome.reason, detail: outcome.detail }, 'Migrate:FileSkipped');
        return;
      }
      files++;
      if (outcome.invalidSequences > 0) invalidText.push({ name: item.name, invalidSequences: outcome.invalidSequences });
      words += outcome.words;
      if (outcome.fileCounts !== undefined) {
        await deps.store.put(perFileLocation(header, item.name), outcome.fileCounts, { signal });
      }
    },
    signal,
  );
  return { counts: await counter.finish(), files, bytes, words, skipped, splitObjects, invalidText };
}

function* shardResultChunks(resultHeader: ShardResultHeader, counts: WordCounts): Generator<string> {
  yield `${JSON.stringify(resultHeader)}\n`;
  yield* serializeCountLines(counts);
}

function resolveShardIndex(choice: IndexChoice | undefined, header: PlanHeader): number {
  if (choice === undefined) {
    if (header.shardCount === 1) return 0;
    throw new UsageError(
      `no shard index: pass --index or set AWS_BATCH_JOB_ARRAY_INDEX (plan ${header.id} has ${header.shardCount} shards)`,
    );
  }
  if (choice.value >= header.shardCount) {
    throw new UsageError(
      `${choice.from} is ${choice.value} but plan ${header.id} has ${header.shardCount} shards (0-${header.shardCount - 1})`,
    );
  }
  return choice.value;
}

/**
 * The shard a retry child counts: its index picks an entry of the map, and the entry is the
 * shard. The whole map is checked, so a bad map fails every child the same way, at once.
 */
async function resolveMappedShardIndex(
  indexMap: S3Path,
  choice: IndexChoice | undefined,
  header: PlanHeader,
  deps: MigrateDeps,
): Promise<number> {
  const what = `--index-map ${formatS3Path(indexMap)}`;
  const folder = resultsFolder(header);
  if (!isWithin(indexMap, folder)) {
    throw new UsageError(`${what} is not under the results folder of plan ${header.id} (${formatS3Path(folder)})`);
  }
  const text = await deps.store.readText(indexMap, { signal: deps.signal, maxBytes: MAX_INDEX_MAP_BYTES });
  let map: number[];
  try {
    map = parseIndexMap(text, what);
  } catch (error) {
    throw error instanceof IndexMapError ? new UsageError(error.message) : error;
  }
  const outside = map.findIndex((shardIndex) => shardIndex >= header.shardCount);
  if (outside !== -1) {
    throw new UsageError(
      `${what}: entry ${outside} is shard ${map[outside]} but plan ${header.id} has ${header.shardCount} shards (0-${header.shardCount - 1})`,
    );
  }
  if (choice === undefined && map.length > 1) {
    throw new UsageError(`no index into ${what} (${map.length} entries): pass --index or set AWS_BATCH_JOB_ARRAY_INDEX`);
  }
  const entry = choice?.value ?? 0;
  if (entry >= map.length) {
    throw new UsageError(`${choice?.from ?? 'the index'} is ${entry} but ${what} has ${map.length} entries (0-${map.length - 1})`);
  }
  const shardIndex = map[entry];
  deps.logger.info({ planId: header.id, indexMap: formatS3Path(indexMap), entry, shardIndex }, 'Migrate:IndexMapped');
  return shardIndex;
}

export function formatMigrateSummary(summary: MigrateSummary): string {
  const { stats } = summary;
  return (
    `Shard ${summary.shardIndex} of ${summary.shardCount} (plan ${summary.planId}): ` +
    `${stats.files} files, ${stats.bytes} bytes, ${stats.words} words, ${stats.distinctWords} distinct, ` +
    `${stats.skipped.length} skipped -> ${summary.result}\n`
  );
}
