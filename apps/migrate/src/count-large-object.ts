import { sourceLocation, type PlanHeader, type PlanItem } from '@wordbatch/plan-schema';
import { formatS3Path } from '@wordbatch/s3-path';
import { readRanges, toStageError, type ObjectStore, type PartBudget } from '@wordbatch/s3-store';
import { countBytes, expectedBytes, type ObjectOutcome } from './count-object';
import type { FileCounter, ShardCounter } from './counter';
import { SplitFile } from './split-file';

/** How objects at or above a size are read and counted (the flags --split-above, --part-size, --parts-in-flight). */
export interface LargeObjectReading {
  readonly aboveBytes: number;
  /** The size of each ranged GET, and of each piece of text a counting thread takes. */
  readonly partBytes: number;
  /** Shared by every large object of the shard: parts fetched and not yet counted. */
  readonly budget: PartBudget;
}

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
  const parts = readRanges(store, location, {
    etag: item.etag,
    versionId: item.versionId,
    size: item.size,
    partBytes: reading.partBytes,
    budget: reading.budget,
    reuseBuffers: true,
    signal,
  });
  // The views of reused part buffers are valid until the next chunk is asked for. Cutting and
  // relaying the text to the counting threads is done with a chunk by then; decompression is
  // not (it reads ahead), and neither is the look at the first bytes: those get copies.
  let copyChunks = true;
  try {
    let file: FileCounter | undefined;
    // The first bytes tell whether it is compressed (countBytes reads them): then it is counted whole.
    const outcome = await countBytes(copiedWhile(parts, () => copyChunks), location, header, item, undefined, (format) => {
      copyChunks = format !== undefined;
      file =
        format === undefined
          ? new SplitFile(counter.openGroup(), item.size, reading.partBytes, header.settings.perFile)
          : counter.openFile(expectedBytes(item, format));
      return file;
    });
    return { ...outcome, pieces: file instanceof SplitFile ? file.pieces : 1 };
  } catch (error) {
    throw toStageError(error, formatS3Path(location), signal);
  } finally {
    await parts.return(undefined);
  }
}

async function* copiedWhile(chunks: AsyncIterable<Buffer>, copy: () => boolean): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield copy() ? Buffer.from(chunk) : chunk;
}
