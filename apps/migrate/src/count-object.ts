import { InputChangedError, TransientError } from '@wordbatch/cli';
import { sourceLocation, type PlanHeader, type PlanItem } from '@wordbatch/plan-schema';
import { formatS3Path } from '@wordbatch/s3-path';
import { toStageError, type ObjectStore } from '@wordbatch/s3-store';
import { createWordCounter, type WordCounts } from '@wordbatch/word-count';

export type ObjectOutcome =
  | { readonly kind: 'counted'; readonly counts: WordCounts; readonly words: number; readonly bytes: number }
  | { readonly kind: 'skipped'; readonly reason: string; readonly bytes: number };

/** Whole re-reads of one object after its connection broke mid-body. */
const BODY_ATTEMPTS = 4;

/**
 * Streams one planned object through a word counter, never holding it whole. Reads exactly
 * the planned version (ETag); a connection that breaks mid-body is re-read from the start
 * with a fresh counter, so the object is counted exactly once.
 */
export async function countObject(
  store: ObjectStore,
  header: PlanHeader,
  item: PlanItem,
  signal: AbortSignal,
): Promise<ObjectOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await countOnce(store, header, item, signal);
    } catch (error) {
      const stageError = toStageError(error, formatS3Path(sourceLocation(header, item.name)), signal);
      const retryable = stageError instanceof TransientError && !signal.aborted;
      if (!retryable || attempt >= BODY_ATTEMPTS) throw stageError;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

async function countOnce(store: ObjectStore, header: PlanHeader, item: PlanItem, signal: AbortSignal): Promise<ObjectOutcome> {
  const location = sourceLocation(header, item.name);
  const { body } = await store.open(location, { ifMatch: item.etag, signal });
  const counter = createWordCounter(header.settings.tokenizer);
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      // A NUL byte never occurs in text: counting an image or archive would only add noise.
      if (chunk.indexOf(0) !== -1) return { kind: 'skipped', reason: 'binary (contains a NUL byte)', bytes };
      counter.write(chunk);
    }
  } finally {
    body.destroy();
  }
  if (bytes !== item.size) {
    throw new InputChangedError(
      `${formatS3Path(location)} has ${bytes} bytes but was planned with ${item.size}; re-run plan`,
    );
  }
  counter.end();
  return { kind: 'counted', counts: counter.counts, words: counter.words, bytes };
}
