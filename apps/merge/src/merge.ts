import { type Logger, megabytesPerSecond } from '@wordbatch/cli';
import { forEachConcurrent } from '@wordbatch/concurrency';
import { actualCost, DEFAULT_COMPUTE, parsePriceFlags, type ActualCost, type RunActuals, type UnitPrices } from '@wordbatch/cost';
import { IncompleteResultsError } from '@wordbatch/errors';
import {
  mergeResultLocation,
  parseShardTiming,
  runActualsLocation,
  shardIndexOfResultKey,
  shardTimingsFolder,
  shardResultsFolder,
  SKIP_REASONS,
  textSettingsOf,
  type InvalidText,
  PlanFormatError,
  type PlanHeader,
  type ShardTiming,
  type SkippedFile,
  type SkipReason,
} from '@wordbatch/plan-schema';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import type { ObjectStore } from '@wordbatch/s3-store';
import { TopWords, type WordCount } from '@wordbatch/word-count';
import { findPlan } from './find-plan';
import { mergeShardResults } from './merge-shard-results';
import type { MergeOptions } from '@wordbatch/stage-commands';

export interface MergeDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export interface MergeTotals {
  readonly shards: number;
  readonly shardsMerged: number;
  readonly files: number;
  readonly bytes: number;
  readonly words: number;
  readonly distinctWords: number;
  readonly skippedFiles: number;
  /** Every reason of the closed set, with how many objects it skipped (0 included). */
  readonly skippedByReason: Record<SkipReason, number>;
  /** Objects counted although they had sequences invalid in the plan's encoding. */
  readonly objectsWithInvalidSequences: number;
  /** Those sequences in all (each was counted as U+FFFD). */
  readonly invalidSequences: number;
}

/** What merge prints and stores: the ranked words and how they were obtained. */
export interface MergeResult {
  readonly planId: string;
  readonly partial: boolean;
  readonly missingShards: number[];
  readonly totals: MergeTotals;
  readonly settings: {
    readonly tokenizer: string;
    readonly encoding: string;
    readonly top: number;
    readonly minLength: number;
    readonly minCount: number;
    readonly stopwords: string[];
  };
  readonly skipped: SkippedFile[];
  readonly invalidText: InvalidText[];
  readonly words: WordCount[];
  readonly result: string;
  /**
   * Where the run's actual figures are (requests per stage, vCPU-hours from the shard timings,
   * dollars): a file of their own, because they differ from run to run and this one must not.
   */
  readonly actuals: string;
}

/** actuals.json: what the run took, in the cost estimate's terms, so estimate and outcome compare. */
export interface RunActualsDocument extends RunActuals, Omit<ActualCost, 'requests'> {
  readonly kind: 'wordbatch-run-actuals';
  /** The stages' requests added up, as the estimate states them. */
  readonly totalRequests: ActualCost['requests'];
  readonly planId: string;
  /** Shards whose timing was read (a shard without one, e.g. from an older migrate, is missing from the compute figures). */
  readonly shardTimings: number;
  /** The unit prices of `dollars` (--price over the published ones), with their date and source. */
  readonly prices: UnitPrices;
}

export async function runMerge(options: MergeOptions, deps: MergeDeps): Promise<MergeResult> {
  const started = Date.now();
  const header = await findPlan(deps.store, options.destination, options.plan, deps.signal);
  const present = await listPresentShards(deps.store, header, deps.signal);
  const missingShards = [...Array(header.shardCount).keys()].filter((index) => !present.has(index));
  if (missingShards.length > 0 && !options.allowPartial) {
    throw new IncompleteResultsError(
      `plan ${header.id}: ${missingShards.length} of ${header.shardCount} shard results missing (shards ${formatIndexRanges(missingShards)}); run migrate for them, or pass --allow-partial`,
    );
  }

  // Words arrive one by one, merged across the shard results; only the best are kept.
  const topWords = new TopWords(options);
  const shardIndices = [...present].sort((a, b) => a - b);
  const { stats, distinctWords } = await mergeShardResults(deps, header, shardIndices, (word, length, count) => {
    if (topWords.wants(count)) topWords.offer(word.toString('utf8', 0, length), count);
  });
  let files = 0;
  let bytes = 0;
  let words = 0;
  const skipped: SkippedFile[] = [];
  const invalidText: InvalidText[] = [];
  for (const shard of stats) {
    files += shard.files;
    bytes += shard.bytes;
    words += shard.words;
    skipped.push(...shard.skipped);
    invalidText.push(...(shard.invalidText ?? []));
  }
  skipped.sort((a, b) => compareNames(a.name, b.name));
  invalidText.sort((a, b) => compareNames(a.name, b.name));
  const skippedByReason = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
  for (const { reason } of skipped) skippedByReason[reason]++;

  const location = mergeResultLocation(header);
  const actualsLocation = runActualsLocation(header);
  const result: MergeResult = {
    planId: header.id,
    partial: missingShards.length > 0,
    missingShards,
    totals: {
      shards: header.shardCount,
      shardsMerged: present.size,
      files,
      bytes,
      words,
      distinctWords,
      skippedFiles: skipped.length,
      skippedByReason,
      objectsWithInvalidSequences: invalidText.length,
      invalidSequences: invalidText.reduce((sum, object) => sum + object.invalidSequences, 0),
    },
    settings: {
      tokenizer: header.settings.tokenizer,
      encoding: textSettingsOf(header.settings).encoding,
      top: options.top,
      minLength: options.minLength,
      minCount: options.minCount,
      stopwords: [...options.stopwords].sort(),
    },
    skipped,
    invalidText,
    words: topWords.ranked(),
    result: formatS3Path(location),
    actuals: formatS3Path(actualsLocation),
  };
  const actuals = await readRunActuals(deps, header, { files, bytes }, parsePriceFlags(options.price ?? []));
  await deps.store.put(actualsLocation, `${JSON.stringify(actuals, null, 2)}\n`, { signal: deps.signal, contentType: 'application/json' });
  await deps.store.put(location, `${JSON.stringify(result, null, 2)}\n`, {
    signal: deps.signal,
    contentType: 'application/json',
  });
  const durationMs = Date.now() - started;
  deps.logger.info(
    {
      planId: header.id,
      shards: present.size,
      missing: missingShards.length,
      files,
      bytes,
      words,
      distinctWords,
      durationMs,
      // S3 requests merge made (result.json's PUT included), beside plan's cost estimate.
      requests: { ...deps.store.requests },
      // Source bytes covered per second of merging.
      megabytesPerSecond: megabytesPerSecond(bytes, durationMs),
    },
    'Merge:Done',
  );
  return result;
}

/** Timings read at once: enough to hide request latency at 10,000 shards. */
const TIMING_READS = 32;

/**
 * The run's actual figures: plan's requests from its header, each child's from its timing,
 * merge's own (its last two PUTs, actuals.json and result.json, included), and the migrate
 * fleet's vCPU- and GB-hours from the timings, priced as the estimate prices them.
 */
async function readRunActuals(deps: MergeDeps, header: PlanHeader, totals: { files: number; bytes: number }, prices: UnitPrices): Promise<RunActualsDocument> {
  const timingKeys: S3Path[] = [];
  for await (const object of deps.store.list(shardTimingsFolder(header), deps.signal)) {
    if (object.key.endsWith('.json')) timingKeys.push({ bucket: header.destination.bucket, key: object.key });
  }
  const durations: number[] = [];
  const migrate = { list: 0, get: 0, put: 0 };
  let migrateCounted = timingKeys.length > 0;
  await forEachConcurrent(
    timingKeys,
    TIMING_READS,
    async (path: S3Path) => {
      let timing: ShardTiming;
      try {
        timing = parseShardTiming(await deps.store.readText(path, { signal: deps.signal }), formatS3Path(path));
      } catch (error) {
        // A timing is a courtesy (migrate writes it after its result): one unreadable leaves the figures short, never the merge.
        if (!(error instanceof PlanFormatError)) throw error;
        deps.logger.warn({ timing: formatS3Path(path), reason: error.message }, 'Merge:TimingUnreadable');
        return;
      }
      if (timing.planId !== header.id) return;
      durations[timing.shardIndex] = timing.durationMs;
      if (timing.requests === undefined) migrateCounted = false;
      else for (const kind of ['list', 'get', 'put'] as const) migrate[kind] += timing.requests[kind];
    },
    deps.signal,
  );
  const childDurationsMs = durations.filter((duration) => duration !== undefined);
  const runActuals: RunActuals = {
    objects: totals.files,
    bytes: totals.bytes,
    shards: header.shardCount,
    requests: {
      plan: header.requests,
      migrate: migrateCounted ? migrate : undefined,
      // merge's own, with the two PUTs still to come.
      merge: { ...deps.store.requests, put: deps.store.requests.put + 2 },
    },
    childDurationsMs,
  };
  const { requests: totalRequests, ...cost } = actualCost(runActuals, DEFAULT_COMPUTE, prices);
  return {
    kind: 'wordbatch-run-actuals',
    planId: header.id,
    ...runActuals,
    shardTimings: childDurationsMs.length,
    totalRequests,
    ...cost,
    prices,
  };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function listPresentShards(store: ObjectStore, header: PlanHeader, signal: AbortSignal): Promise<Set<number>> {
  const present = new Set<number>();
  for await (const object of store.list(shardResultsFolder(header), signal)) {
    const index = shardIndexOfResultKey(object.key);
    if (index !== undefined && index < header.shardCount) present.add(index);
  }
  return present;
}

/** `[1, 2, 3, 7, 9, 10]` → `1-3, 7, 9-10`: a missing-shard list stays one readable line. */
export function formatIndexRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let end = i;
    while (end + 1 < indices.length && indices[end + 1] === indices[end] + 1) end++;
    parts.push(end === i ? `${indices[i]}` : `${indices[i]}-${indices[end]}`);
    i = end;
  }
  return parts.join(', ');
}
