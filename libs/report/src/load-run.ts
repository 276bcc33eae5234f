import { InputChangedError, TerminatedError, UsageError } from '@wordbatch/errors';
import {
  MERGE_RESULT_NAME,
  PLAN_COPY_NAME,
  parsePlanHeader,
  parseShardResultHeader,
  parseShardTiming,
  PlanFormatError,
  SHARD_RESULTS_FOLDER,
  SHARD_TIMINGS_FOLDER,
  shardResultName,
  shardTimingName,
  type PlanHeader,
  type ShardResultHeader,
  type ShardTiming,
} from '@wordbatch/plan-schema';
import type { RunFolder } from './run-folder';
import { parseRunResult, RunResultError, type RunResult } from './run-result';

/** result.json holds the top words and every skipped object: large, but bounded. */
const MAX_RESULT_BYTES = 256 * 1024 * 1024;
const MAX_SMALL_DOCUMENT_BYTES = 1024 * 1024;
/** A shard result's header line lists the shard's skipped objects. */
const MAX_SHARD_HEADER_BYTES = 64 * 1024 * 1024;
const READ_CONCURRENCY = 16;

/** One shard as the report shows it: its result header's stats and, when migrate left one, its timing. */
export interface ShardReport {
  readonly shardIndex: number;
  /** Undefined for a shard whose result is missing (a partial merge). */
  readonly header?: ShardResultHeader;
  readonly timing?: ShardTiming;
}

export interface RunReport {
  /** Where the run's results were read from. */
  readonly location: string;
  readonly result: RunResult;
  /** The plan's header, when its copy is in the results folder. */
  readonly plan?: PlanHeader;
  readonly shards: readonly ShardReport[];
}

/**
 * The run whose results are in `folder`: the folder itself when it holds result.json, else
 * the only sub-folder that does (so the plan's destination, `s3://DST/out/`, will do too).
 */
export async function locateRun(folder: RunFolder): Promise<RunFolder> {
  if (await folder.has(MERGE_RESULT_NAME)) return folder;
  const runs: string[] = [];
  for (const name of await folder.subfolders()) {
    if (await folder.child(name).has(MERGE_RESULT_NAME)) runs.push(name);
  }
  if (runs.length === 1) return folder.child(runs[0]);
  if (runs.length === 0) {
    throw new InputChangedError(`no ${MERGE_RESULT_NAME} in ${folder.location} or its sub-folders: run merge first`);
  }
  const ids = runs.map((name) => name.slice(0, -1)).join(', ');
  throw new UsageError(`several runs in ${folder.location} (${ids}): name one, as ${folder.location}${runs[0]}`);
}

/** Reads result.json, the plan copy and every shard's result header and timing. */
export async function loadRunReport(folder: RunFolder, signal: AbortSignal): Promise<RunReport> {
  const result = asUsage(
    (text) => parseRunResult(text, `${folder.location}${MERGE_RESULT_NAME}`),
    await folder.readText(MERGE_RESULT_NAME, MAX_RESULT_BYTES),
  );
  const plan = (await folder.has(PLAN_COPY_NAME))
    ? asUsage(
        (text) => parsePlanHeader(text, `${folder.location}${PLAN_COPY_NAME}`),
        await folder.readText(PLAN_COPY_NAME, MAX_SMALL_DOCUMENT_BYTES),
      )
    : undefined;
  const [results, timings] = await Promise.all([folder.list(SHARD_RESULTS_FOLDER), folder.list(SHARD_TIMINGS_FOLDER)]);

  const readShard = async (shardIndex: number): Promise<ShardReport> => {
    const what = (name: string) => `${folder.location}${name}`;
    const resultName = shardResultName(shardIndex);
    const timingName = shardTimingName(shardIndex);
    const header = results.has(resultName)
      ? asUsage((text) => parseShardResultHeader(text, what(resultName)), await folder.readFirstLine(resultName, MAX_SHARD_HEADER_BYTES))
      : undefined;
    const timing = timings.has(timingName)
      ? asUsage((text) => parseShardTiming(text, what(timingName)), await folder.readText(timingName, MAX_SMALL_DOCUMENT_BYTES))
      : undefined;
    for (const document of [header, timing]) {
      if (document !== undefined && (document.planId !== result.planId || document.shardIndex !== shardIndex)) {
        throw new UsageError(
          `${what(document === header ? resultName : timingName)} belongs to plan ${document.planId} shard ${document.shardIndex}, not plan ${result.planId} shard ${shardIndex}`,
        );
      }
    }
    return { shardIndex, header, timing };
  };
  // In batches of a few small reads at a time: in shard order, and never more requests in flight.
  const shards: ShardReport[] = [];
  for (let first = 0; first < result.totals.shards; first += READ_CONCURRENCY) {
    if (signal.aborted) throw new TerminatedError();
    const batch = Array.from({ length: Math.min(READ_CONCURRENCY, result.totals.shards - first) }, (_, offset) => first + offset);
    shards.push(...(await Promise.all(batch.map(readShard))));
  }
  return { location: folder.location, result, plan, shards };
}

/** Parses `text`; a document that cannot be read is a usage error naming it and the field. */
function asUsage<T>(parse: (text: string) => T, text: string): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof PlanFormatError || error instanceof RunResultError) throw new UsageError(error.message);
    throw error;
  }
}
