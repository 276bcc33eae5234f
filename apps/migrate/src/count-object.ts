import { InputChangedError, retryDelayMs, retrying, TransientError } from '@wordbatch/errors';
import { sourceLocation, type PlanHeader, type PlanItem } from '@wordbatch/plan-schema';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { BODY_READ_ATTEMPTS, toStageError, type ObjectStore } from '@wordbatch/s3-store';
import type { FileCounter } from './count-pool';
import { SourceText } from './source-text';

export type ObjectOutcome =
  | { readonly kind: 'counted'; readonly words: number; readonly bytes: number; readonly fileCounts?: string }
  | { readonly kind: 'skipped'; readonly reason: string; readonly bytes: number };

const BINARY = 'binary (contains a NUL byte)';

/**
 * Streams one planned object through a word counter, never holding it whole. Reads exactly
 * the planned version (its version id when the plan names one, and its ETag); a connection that breaks mid-body is re-read from the start
 * with a fresh counter, so the object is counted exactly once. `openCounter` gives the
 * counter (count-pool.ts): only an ended counter's counts reach the shard.
 */
export async function countObject(
  store: ObjectStore,
  header: PlanHeader,
  item: PlanItem,
  signal: AbortSignal,
  openCounter: (plannedBytes: number) => FileCounter,
): Promise<ObjectOutcome> {
  const what = formatS3Path(sourceLocation(header, item.name));
  return retrying(
    BODY_READ_ATTEMPTS,
    async () => {
      try {
        return await countOnce(store, header, item, signal, openCounter);
      } catch (error) {
        throw toStageError(error, what, signal);
      }
    },
    (error, retry) => (error instanceof TransientError ? retryDelayMs(retry) : undefined),
    signal,
  );
}

async function countOnce(
  store: ObjectStore,
  header: PlanHeader,
  item: PlanItem,
  signal: AbortSignal,
  openCounter: (plannedBytes: number) => FileCounter,
): Promise<ObjectOutcome> {
  const location = sourceLocation(header, item.name);
  const { body } = await store.open(location, { ifMatch: item.etag, versionId: item.versionId, signal });
  try {
    return await countBytes(body as AsyncIterable<Buffer>, location, item, openCounter(item.size));
  } finally {
    body.destroy();
  }
}

/**
 * Counts an object's bytes, as they arrive, through `counter`: UTF-8 as is, a BOM dropped,
 * UTF-16 with a BOM decoded; a NUL means binary (source-text.ts). Checks that exactly the
 * planned size arrived. Unless it ends, what the counter got is dropped.
 */
export async function countBytes(chunks: AsyncIterable<Buffer>, location: S3Path, item: PlanItem, counter: FileCounter): Promise<ObjectOutcome> {
  const text = new SourceText();
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      const utf8 = text.write(chunk);
      // A NUL never occurs in text: counting an image or archive would only add noise.
      if (text.binary) return { kind: 'skipped', reason: BINARY, bytes };
      // Waits when the counting threads are behind, so the read never outruns them.
      await counter.write(utf8);
    }
    if (bytes !== item.size) {
      throw new InputChangedError(
        `${formatS3Path(location)} has ${bytes} bytes but was planned with ${item.size}; re-run plan`,
      );
    }
    const rest = text.end();
    if (text.binary) return { kind: 'skipped', reason: BINARY, bytes };
    await counter.write(rest);
    const { words, fileCounts } = await counter.end();
    return { kind: 'counted', words, fileCounts, bytes };
  } finally {
    // Unless it ended, what the counter got is dropped: a binary object, or a read to start over.
    counter.discard();
  }
}
