import { sourceLocation, type PlanHeader, type PlanItem } from '@wordbatch/plan-schema';
import { formatS3Path } from '@wordbatch/s3-path';
import { readRanges, toStageError, type ObjectStore, type PartBudget } from '@wordbatch/s3-store';
import { countBytes, type ObjectOutcome } from './count-object';
import type { ShardCounter } from './count-pool';
import { SplitFile } from './split-file';

/** How objects at or above a size are read and counted (the flags --split-above, --part-size, --parts-in-flight). */
export interface LargeObjectReading {
  readonly aboveBytes: number;
  /** The size of each ranged GET, and of each piece of text a counting thread takes. */
  readonly partBytes: number;
  /** Shared by every large object of the shard: parts fetched and not yet counted. */
  readonly budget: PartBudget;
}

/** Compression formats recognized by their first bytes: their bytes cannot be cut at a newline. */
const COMPRESSED_MAGIC: ReadonlyArray<readonly number[]> = [
  [0x1f, 0x8b], // gzip
  [0x28, 0xb5, 0x2f, 0xfd], // zstd
];
const MAGIC_BYTES = 4;

/**
 * Counts a large object on every counting thread: read as parallel ranged GETs pinned to the
 * planned ETag (readRanges), its text cut into pieces at newlines (SplitFile). The bytes arrive
 * in order, so the object's first bytes decide its encoding for the whole of it, as for an
 * object read in one GET. A compressed object's bytes cannot be cut, so it is counted whole,
 * on one thread (still read in ranges). A broken part is read again on its own (readRanges);
 * a read that still fails fails the shard: re-reading gigabytes here would only delay the
 * exit 75 that lets Batch retry.
 */
export async function countLargeObject(
  store: ObjectStore,
  header: PlanHeader,
  item: PlanItem,
  signal: AbortSignal,
  counter: ShardCounter,
  reading: LargeObjectReading,
): Promise<ObjectOutcome & { readonly pieces: number }> {
  const location = sourceLocation(header, item.name);
  const parts = readRanges(store, location, { etag: item.etag, versionId: item.versionId, size: item.size, partBytes: reading.partBytes, budget: reading.budget, signal });
  try {
    const { head, rest } = await readHead(parts);
    const split = !COMPRESSED_MAGIC.some((magic) => magic.every((byte, index) => head[index] === byte));
    const file = split ? new SplitFile(counter.openGroup(), item.size, reading.partBytes, header.settings.perFile) : counter.openFile(item.size);
    const outcome = await countBytes(prepend(head, rest), location, item, file);
    return { ...outcome, pieces: file instanceof SplitFile ? file.pieces : 1 };
  } catch (error) {
    throw toStageError(error, formatS3Path(location), signal);
  } finally {
    await parts.return(undefined);
  }
}

/** At least the first MAGIC_BYTES bytes (fewer only if the object is that short), and what follows. */
async function readHead(parts: AsyncGenerator<Buffer>): Promise<{ head: Buffer; rest: AsyncGenerator<Buffer> }> {
  const taken: Buffer[] = [];
  let length = 0;
  while (length < MAGIC_BYTES) {
    const next = await parts.next();
    if (next.done) break;
    taken.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(taken), rest: parts };
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  yield* rest;
}
