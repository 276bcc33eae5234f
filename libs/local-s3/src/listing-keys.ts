import { compareKeys } from '@wordbatch/s3-path';

/** A bucket's keys in S3 key order, as the listing server reads them: by position, never all at once. */
export interface ListingKeys {
  readonly count: number;
  keyAt(index: number): string;
  sizeAt(index: number): number;
  /** Without quotes. */
  etagAt(index: number): string;
}

export interface ListedEntry {
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
}

/** Given keys (duplicates dropped), sorted into S3's order. */
export function keysFromList(entries: readonly (string | ListedEntry)[]): ListingKeys {
  const byKey = new Map<string, ListedEntry>();
  for (const entry of entries) {
    const listed = typeof entry === 'string' ? { key: entry } : entry;
    byKey.set(listed.key, listed);
  }
  const sorted = [...byKey.values()].sort((a, b) => compareKeys(a.key, b.key));
  return {
    count: sorted.length,
    keyAt: (index) => sorted[index].key,
    sizeAt: (index) => sorted[index].size ?? index % 4096,
    etagAt: (index) => sorted[index].etag ?? syntheticEtag(index),
  };
}

export interface GeneratedKeysOptions {
  /** Put before every key, e.g. `data/`. */
  readonly prefix?: string;
  /** Sub-folders in each of the two folder levels (default 100: 10,000 leaf folders). */
  readonly foldersPerLevel?: number;
}

/**
 * `count` keys made up from their position, never stored: PREFIX + `dNN/sNN/part-NNNNNN.txt`,
 * two folder levels of `foldersPerLevel` each, the files spread evenly over the leaf folders
 * in key order, sizes from 1 KiB to about 1 MiB and ETags that look like MD5s. Zero-padded
 * numbers make key order and position order the same.
 */
export function generatedKeys(count: number, options: GeneratedKeysOptions = {}): ListingKeys {
  const prefix = options.prefix ?? '';
  const perLevel = options.foldersPerLevel ?? 100;
  const leaves = perLevel * perLevel;
  const perLeaf = Math.max(1, Math.ceil(count / leaves));
  const folderDigits = String(perLevel - 1).length;
  const fileDigits = Math.max(6, String(perLeaf - 1).length);
  const pad = (value: number, digits: number) => String(value).padStart(digits, '0');
  return {
    count,
    keyAt(index) {
      const leaf = Math.floor(index / perLeaf);
      const top = Math.floor(leaf / perLevel);
      const sub = leaf % perLevel;
      return `${prefix}d${pad(top, folderDigits)}/s${pad(sub, folderDigits)}/part-${pad(index % perLeaf, fileDigits)}.txt`;
    },
    sizeAt: (index) => 1024 + (mix(index) % (1024 * 1024)),
    etagAt: syntheticEtag,
  };
}

/** Seconds in the day flatKeys spreads its keys over. */
const SECONDS_A_DAY = 86_400;

/**
 * `count` keys made up from their position, never stored, with no folder below `prefix`,
 * named as S3 server access logs are: PREFIX + `2026-11-30-HH-MM-SS-` + 16 upper-case hex
 * digits, spread evenly over the day; within a second, the first 8 hex digits spread the
 * keys evenly (so key order and position order are the same) and the last 8 look random.
 * Sizes and ETags as generatedKeys makes them.
 */
export function flatKeys(count: number, options: { readonly prefix?: string } = {}): ListingKeys {
  const prefix = options.prefix ?? '';
  const perSecond = Math.ceil(count / SECONDS_A_DAY) + 1;
  const spread = Math.floor(2 ** 32 / perSecond);
  const pad = (value: number) => String(value).padStart(2, '0');
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
  return {
    count,
    keyAt(index) {
      const second = Math.floor((index * SECONDS_A_DAY) / count);
      const rank = index - Math.ceil((second * count) / SECONDS_A_DAY);
      const time = `${pad(Math.floor(second / 3600))}-${pad(Math.floor(second / 60) % 60)}-${pad(second % 60)}`;
      return `${prefix}2026-11-30-${time}-${hex(rank * spread)}${hex(mix(index))}`;
    },
    sizeAt: (index) => 1024 + (mix(index) % (1024 * 1024)),
    etagAt: syntheticEtag,
  };
}

/** Written into one buffer and read back as hex: four padded toString(16)s cost three times as much, at millions of keys a run. */
const etagBytes = Buffer.alloc(16);

function syntheticEtag(index: number): string {
  for (let round = 1; round <= 4; round++) etagBytes.writeUInt32BE(mix(index * 4 + round), 4 * (round - 1));
  return etagBytes.toString('hex');
}

/** A cheap integer hash (murmur3's finalizer): the same figures on every run. */
function mix(value: number): number {
  let hash = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** The first position whose key is not below `key`. */
export function lowerBound(keys: ListingKeys, key: string, from = 0): number {
  let low = from;
  let high = keys.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(keys.keyAt(middle), key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** From `from`, where the keys starting with `prefix` begin, the first position past them. */
export function endOfPrefix(keys: ListingKeys, prefix: string, from: number): number {
  let low = from;
  let high = keys.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys.keyAt(middle).startsWith(prefix)) low = middle + 1;
    else high = middle;
  }
  return low;
}
