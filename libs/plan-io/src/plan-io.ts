import { UsageError } from '@wordbatch/errors';
import {
  assertPlanWritesOutsideSource,
  parsePackedShardList,
  parsePlanHeader,
  planCopyLocation,
  PlanFormatError,
  shardListLocation,
  type PackedShardList,
  type PlanHeader,
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

/**
 * Reads the copy of a plan header that plan leaves in its results folder, where merge finds
 * plans. A copy is trusted only at the place its own header names (`<destination>/<id>/plan.json`):
 * one found elsewhere, or claiming another destination or id, would make merge read and write
 * outside the folder it was asked to merge.
 */
export async function readPlanCopy(store: ObjectStore, copy: S3Path, signal?: AbortSignal): Promise<PlanHeader> {
  const header = await readPlanHeader(store, copy, signal);
  const expected = planCopyLocation(header);
  if (expected.bucket !== copy.bucket || expected.key !== copy.key) {
    throw new UsageError(
      `plan copy ${formatS3Path(copy)} names plan ${header.id} with results in ${formatS3Path(header.destination)}, so it belongs at ${formatS3Path(expected)}: moved or tampered with`,
    );
  }
  return header;
}

/**
 * Reads one shard's item list and checks that it belongs to this plan and index. Its items
 * come packed: a shard may list 100,000 objects, and migrate holds them all while it counts.
 */
export async function readShardList(
  store: ObjectStore,
  header: PlanHeader,
  shardIndex: number,
  signal?: AbortSignal,
): Promise<PackedShardList> {
  const location = shardListLocation(header, shardIndex);
  const what = `shard list ${formatS3Path(location)}`;
  const text = await store.readText(location, { signal });
  let list: PackedShardList;
  try {
    list = parsePackedShardList(text, what);
  } catch (error) {
    throw asUsageError(error);
  }
  if (list.planId !== header.id || list.shardIndex !== shardIndex) {
    throw new UsageError(`${what} belongs to plan ${list.planId} shard ${list.shardIndex}, not plan ${header.id} shard ${shardIndex}`);
  }
  return list;
}
