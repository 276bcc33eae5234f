import type { PlanItem, ShardList } from './schemas';

/** About this many UTF-16 units per chunk: a few hundred kilobytes of a list in memory at a time. */
const CHUNK_CHARS = 256 * 1024;

/**
 * A shard list's JSON, exactly as `JSON.stringify(list)` writes it, in chunks, from items read
 * one at a time: plan writes a list of any size without holding it as objects or as one string.
 */
export function* shardListChunks(list: Omit<ShardList, 'items'>, items: Iterable<PlanItem>): Generator<string> {
  const { skipped, ...head } = list;
  // Up to the items' opening bracket; `skipped`, when there, follows the items as in a list made whole.
  let chunk = JSON.stringify({ ...head, items: [] }).slice(0, -2);
  let first = true;
  for (const item of items) {
    chunk += first ? JSON.stringify(item) : `,${JSON.stringify(item)}`;
    first = false;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]${skipped === undefined ? '' : `,"skipped":${JSON.stringify(skipped)}`}}`;
}
