import { UsageError } from '@wordbatch/cli';
import {
  assertPlanWritesOutsideSource,
  parsePlanHeader,
  parseShardList,
  PlanFormatError,
  shardListLocation,
  type PlanHeader,
  type ShardList,
} from '@wordbatch/plan-schema';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import type { ObjectStore } from '@wordbatch/s3-store';

/** A plan header is small; anything bigger is not one. */
const MAX_HEADER_BYTES = 1024 * 1024;

function asUsageError(error: unknown): unknown {
  return error instanceof PlanFormatError ? new UsageError(error.message) : error;
}

/**
 * Reads and validates a plan header. A missing plan is missing input (exit 3); one that
 * cannot be read, or that would make a stage write into its own source, is a usage error.
 */
export async function readPlanHeader(store: ObjectStore, plan: S3Path, signal?: AbortSignal): Promise<PlanHeader> {
  const text = await store.readText(plan, { signal, maxBytes: MAX_HEADER_BYTES });
  try {
    const header = parsePlanHeader(text, `plan ${formatS3Path(plan)}`);
    assertPlanWritesOutsideSource(header);
    return header;
  } catch (error) {
    throw asUsageError(error);
  }
}

/** Reads one shard's item list and checks that it belongs to this plan and index. */
export async function readShardList(
  store: ObjectStore,
  header: PlanHeader,
  shardIndex: number,
  signal?: AbortSignal,
): Promise<ShardList> {
  const location = shardListLocation(header, shardIndex);
  const what = `shard list ${formatS3Path(location)}`;
  const text = await store.readText(location, { signal });
  let list: ShardList;
  try {
    list = parseShardList(text, what);
  } catch (error) {
    throw asUsageError(error);
  }
  if (list.planId !== header.id || list.shardIndex !== shardIndex) {
    throw new UsageError(`${what} belongs to plan ${list.planId} shard ${list.shardIndex}, not plan ${header.id} shard ${shardIndex}`);
  }
  return list;
}
