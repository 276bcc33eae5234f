import { createHash } from 'node:crypto';

/**
 * A plan's id: the plan file's name, then a digest of everything that decides its output
 * (source, destination, settings and every item's name, size, ETag and version id). Planning the same
 * unchanged objects again gives the same id, so results land at the same keys; any change
 * gives a new id, so old results are never mixed with new ones.
 */
export function derivePlanId(
  planName: string,
  identity: unknown,
  items: Iterable<{ name: string; size: number; etag: string; versionId?: string }>,
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(identity));
  for (const item of items) {
    // A version id, when named, is part of what is read; without one the digest is as it always was.
    const fields = item.versionId === undefined ? [item.name, item.size, item.etag] : [item.name, item.size, item.etag, item.versionId];
    hash.update(`\n${JSON.stringify(fields)}`);
  }
  const readable = planName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    // Runs are one hyphen already: only one can stand at either end.
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const digest = hash.digest('hex').slice(0, 16);
  return readable ? `${readable}-${digest}` : digest;
}
