/** The part of s3rver's file-system store the fix below replaces. */
export interface S3rverStore {
  listObjects(bucket: string, options: ListOptions): Promise<ListResult>;
}

interface ListOptions {
  readonly delimiter?: string;
  readonly startAfter?: string;
  readonly prefix?: string;
  readonly maxKeys?: number;
}

interface ListResult {
  readonly objects: Array<{ readonly key: string }>;
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
}

/**
 * s3rver answers a listing with a delimiter from a file-system walk that never enters the
 * folders it rolls up, so it reports a common prefix only when an object sits directly
 * inside it: `a/b/c.txt` alone yields no `a/` for a listing of the root. plan's listing walk
 * relies on S3's behaviour (every key below a prefix counts), so the embedded server lists
 * without the delimiter and rolls the keys up itself. Common prefixes do not count towards
 * the page size (s3rver's continuation token names the page's last object), and may repeat on
 * a later page; the walk de-duplicates them.
 */
export function fixDelimitedListings(store: S3rverStore): void {
  const listAll = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const delimiter = options.delimiter ?? '';
    if (delimiter === '') return listAll(bucket, options);
    const prefix = options.prefix ?? '';
    const maxKeys = options.maxKeys ?? Infinity;
    const every = await listAll(bucket, { ...options, delimiter: '', maxKeys: Infinity });
    const objects: ListResult['objects'] = [];
    const commonPrefixes = new Set<string>();
    let isTruncated = false;
    for (const object of every.objects) {
      const cut = object.key.indexOf(delimiter, prefix.length);
      if (cut !== -1) {
        commonPrefixes.add(object.key.slice(0, cut + delimiter.length));
        continue;
      }
      if (objects.length === maxKeys) {
        isTruncated = true;
        break;
      }
      objects.push(object);
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  };
}
