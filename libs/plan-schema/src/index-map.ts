import { z } from 'zod';
import { MAX_SHARDS } from './limits';

/**
 * An index map re-runs some shards of a plan as a smaller array job: it is a JSON array of
 * shard indices, and array child i counts shard map[i]. `retry-failed` writes one per retry,
 * under the plan's results folder (see indexMapLocation), and migrate reads it with --index-map.
 */
export class IndexMapError extends Error {
  override readonly name = 'IndexMapError';
}

/** 10,000 indices of 4 digits and commas are ~50 KB; anything far bigger is not a map. */
export const MAX_INDEX_MAP_BYTES = 256 * 1024;

const indexMapSchema = z
  .array(z.number({ error: 'expected a shard index (0, 1, 2, ...)' }).int('expected a whole number').nonnegative('expected a whole number ≥ 0'))
  .min(1, 'lists no shard')
  .max(MAX_SHARDS, `lists more than ${MAX_SHARDS} shards`);

/** Parses an index map's text; `what` names it in errors (e.g. `--index-map s3://…`). */
export function parseIndexMap(text: string, what: string): number[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new IndexMapError(`${what} is not JSON: expected an array of shard indices such as [3, 17, 42]`);
  }
  const parsed = indexMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `entry ${String(issue.path[0])}: ` : '';
    const expected = Array.isArray(json) ? issue.message : 'expected an array of shard indices such as [3, 17, 42]';
    throw new IndexMapError(`${what}: ${where}${expected}`);
  }
  const seen = new Set<number>();
  for (const [entry, shardIndex] of parsed.data.entries()) {
    if (seen.has(shardIndex)) throw new IndexMapError(`${what}: entry ${entry}: shard ${shardIndex} is listed twice`);
    seen.add(shardIndex);
  }
  return parsed.data;
}

export function formatIndexMap(shardIndices: readonly number[]): string {
  return `${JSON.stringify(shardIndices)}\n`;
}
