import { forEachConcurrent, type Logger, UsageError } from '@wordbatch/cli';
import { readPlanHeader, readShardList } from '@wordbatch/plan-io';
import {
  PLAN_VERSION,
  perFileLocation,
  shardResultLocation,
  type PlanHeader,
  type ShardResultHeader,
  type SkippedFile,
} from '@wordbatch/plan-schema';
import { formatS3Path } from '@wordbatch/s3-path';
import type { ObjectStore } from '@wordbatch/s3-store';
import { formatFileCounts, serializeCountLines, WordCounts } from '@wordbatch/word-count';
import { countObject } from './count-object';
import type { IndexChoice, MigrateOptions } from './options';

export interface MigrateDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly signal: AbortSignal;
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
  const shardIndex = resolveShardIndex(options.index, header);
  const list = await readShardList(deps.store, header, shardIndex, deps.signal);
  deps.logger.info({ planId: header.id, shardIndex, files: list.items.length, bytes: list.bytes }, 'Migrate:ShardStarted');

  const shardCounts = new WordCounts();
  const skipped: SkippedFile[] = [];
  let files = 0;
  let bytes = 0;
  let words = 0;
  await forEachConcurrent(
    list.items,
    options.concurrency,
    async (item) => {
      const outcome = await countObject(deps.store, header, item, deps.signal);
      bytes += outcome.bytes;
      if (outcome.kind === 'skipped') {
        skipped.push({ name: item.name, reason: outcome.reason });
        deps.logger.warn({ name: item.name, reason: outcome.reason }, 'Migrate:FileSkipped');
        return;
      }
      files++;
      words += outcome.words;
      shardCounts.mergeFrom(outcome.counts);
      if (header.settings.perFile) {
        await deps.store.put(perFileLocation(header, item.name), formatFileCounts(outcome.counts), { signal: deps.signal });
      }
    },
    deps.signal,
  );

  skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const stats = { files, bytes, words, distinctWords: shardCounts.size, skipped };
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
  const megabytesPerSecond = durationMs > 0 ? bytes / 1e6 / (durationMs / 1000) : 0;
  deps.logger.info(
    {
      planId: header.id,
      shardIndex,
      files,
      bytes,
      words,
      skipped: skipped.length,
      durationMs,
      megabytesPerSecond: Number(megabytesPerSecond.toFixed(2)),
      // Peak memory of the whole process: the proof that objects are streamed, not loaded.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    'Migrate:ShardDone',
  );
  return { planId: header.id, shardIndex, shardCount: header.shardCount, result: formatS3Path(location), stats, durationMs };
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

export function formatMigrateSummary(summary: MigrateSummary): string {
  const { stats } = summary;
  return (
    `Shard ${summary.shardIndex} of ${summary.shardCount} (plan ${summary.planId}): ` +
    `${stats.files} files, ${stats.bytes} bytes, ${stats.words} words, ${stats.distinctWords} distinct, ` +
    `${stats.skipped.length} skipped -> ${summary.result}\n`
  );
}
