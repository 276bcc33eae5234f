import { InputChangedError, retryDelayMs, retrying, TransientError } from '@wordbatch/errors';
import { sourceLocation, textSettingsOf, type PlanHeader, type PlanItem, type SkipReason } from '@wordbatch/plan-schema';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { BODY_READ_ATTEMPTS, toStageError, type ObjectStore } from '@wordbatch/s3-store';
import { COMPRESSED_TEXT_EXPANSION, openObjectText, UncountableObjectError, type CompressionFormat } from '@wordbatch/source-text';
import type { FileCounter } from './counter';

export type ObjectOutcome =
  | {
      readonly kind: 'counted';
      readonly words: number;
      readonly bytes: number;
      readonly fileCounts?: string;
      /** Sequences invalid in the plan's encoding, counted as U+FFFD. */
      readonly invalidSequences: number;
    }
  | { readonly kind: 'skipped'; readonly reason: SkipReason; readonly detail: string; readonly bytes: number };

/**
 * Streams one planned object through a word counter, never holding it whole. Reads exactly
 * the planned version (its version id when the plan names one, and its ETag); a connection
 * that breaks mid-body is re-read from the start with a fresh counter, so the object is
 * counted exactly once. `openCounter` gives the counter (count-pool.ts): only an ended
 * counter's counts reach the shard.
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
  const { body, contentEncoding } = await store.open(location, { ifMatch: item.etag, versionId: item.versionId, signal });
  try {
    return await countBytes(body as AsyncIterable<Buffer>, location, header, item, contentEncoding, (format) =>
      openCounter(expectedBytes(item, format)),
    );
  } finally {
    body.destroy();
  }
}

/** The bytes of text an object will give: a compressed one is expected to expand (the threads are spread by it). */
export function expectedBytes(item: PlanItem, format: CompressionFormat | undefined): number {
  return format === undefined ? item.size : item.size * COMPRESSED_TEXT_EXPANSION;
}

/**
 * Counts an object's stored bytes, as they arrive: its first bytes tell whether it is
 * compressed (source-text's openObjectText), and `openCounter` is then asked for a counter
 * that fits (a compressed stream cannot be cut into pieces that decompress apart). The
 * decompressed bytes are decoded (the plan's encoding, a BOM, UTF-16) into the UTF-8 that is
 * counted. An object that turns out not countable (binary, corrupt, a bomb, ...) is skipped
 * with its reason; exactly the planned size must arrive. Unless it ends, what the counter got
 * is dropped.
 */
export async function countBytes(
  chunks: AsyncIterable<Buffer>,
  location: S3Path,
  header: PlanHeader,
  item: PlanItem,
  contentEncoding: string | undefined,
  openCounter: (format: CompressionFormat | undefined) => FileCounter,
): Promise<ObjectOutcome> {
  const settings = textSettingsOf(header.settings);
  const stored = { bytes: 0 };
  let counter: FileCounter | undefined;
  try {
    const text = await openObjectText(storedChunks(chunks, stored, item.size, location), {
      hints: { name: item.name, contentEncoding },
      storedBytes: item.size,
      encoding: settings.encoding,
      strictEncoding: settings.strictEncoding,
      limits: { maxRatio: settings.maxExpansionRatio, maxBytes: settings.maxExpandedBytes },
    });
    counter = openCounter(text.format);
    // Each write waits when the counting threads are behind, so the read never outruns them.
    for await (const utf8 of text.utf8) await counter.write(utf8);
    const { words, fileCounts } = await counter.end();
    return { kind: 'counted', words, fileCounts, bytes: stored.bytes, invalidSequences: text.invalidSequences };
  } catch (error) {
    if (!(error instanceof UncountableObjectError)) throw error;
    return { kind: 'skipped', reason: error.reason, detail: error.detail, bytes: stored.bytes };
  } finally {
    // Unless it ended, what the counter got is dropped: a skipped object, or a read to start over.
    counter?.discard();
  }
}

/** The stored bytes as they arrive, tallied; at their end, their number must be the planned size. */
async function* storedChunks(
  body: AsyncIterable<Buffer>,
  stored: { bytes: number },
  plannedBytes: number,
  location: S3Path,
): AsyncGenerator<Buffer> {
  for await (const chunk of body) {
    stored.bytes += chunk.length;
    yield chunk;
  }
  if (stored.bytes !== plannedBytes) {
    throw new InputChangedError(`${formatS3Path(location)} has ${stored.bytes} bytes but was planned with ${plannedBytes}; re-run plan`);
  }
}
