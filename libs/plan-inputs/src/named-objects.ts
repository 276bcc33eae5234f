import { setMaxListeners } from 'node:events';
import { forEachConcurrent } from '@wordbatch/concurrency';
import { UsageError } from '@wordbatch/errors';
import type { PlanItem, SkippedFile } from '@wordbatch/plan-schema';
import { asFolder, type S3Path } from '@wordbatch/s3-path';
import { unwritableKeyProblem, type ObjectStore } from '@wordbatch/s3-store';
import { inputFlag, inputUri, type NamedObject, type PlanInput } from './input';
import { readInventory } from './inventory';
import { readKeyList } from './key-list';

/** How an object the input named that S3 did not have when planned is listed (--allow-missing). */
export function missingObject(name: string): SkippedFile {
  return { name, reason: 'missing', detail: 'named by the input, not found when planned' };
}

/** HeadObject requests in flight at once when a list carries no sizes and ETags. */
export const LOOKUP_CONCURRENCY = 32;

export type NamedInput = Exclude<PlanInput, { kind: 'prefix' }>;

export interface GatherOptions {
  readonly store: ObjectStore;
  readonly signal?: AbortSignal;
  /**
   * Whether to keep an object, given its key relative to the input's root: the key itself
   * for an inventory and CSV/JSONL lists, the line (relative to --source) for a .txt list.
   */
  readonly keep: (name: string) => boolean;
  readonly lookupConcurrency?: number;
}

export interface GatheredObjects {
  /** The folder every named object lies in: the plan's source, which item names are relative to. */
  readonly source: S3Path;
  /** In name order, each once. */
  readonly items: PlanItem[];
  /** Names (relative to `source`) of objects the input named that do not exist; in name order. */
  readonly missing: string[];
  readonly filteredOut: number;
  /** HeadObject requests made for objects named without size and ETag. */
  readonly lookedUp: number;
}

interface Found {
  /** Where the input names it, among the objects kept: lookups finish in any order. */
  readonly order: number;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly versionId?: string;
}

/**
 * Every object an inventory report or key list names, ready to plan. Objects named without
 * size and ETag are looked up with HeadObject (`lookupConcurrency` at once; of the named
 * version, when there is one); those S3 does not have are returned as missing, for the
 * caller to refuse or list.
 *
 * A plan counts objects of one bucket (its `source` is one folder, as for a prefix): an
 * input naming a second bucket is refused at the first row that does.
 */
export async function gatherNamedObjects(input: NamedInput, options: GatherOptions): Promise<GatheredObjects> {
  const flag = inputFlag(input);
  const objects = input.kind === 'manifest' ? readInventory(options.store, input.manifest, options.signal) : readKeyList(options.store, input.list, input.source, options.signal);
  const root = input.kind === 'keys' && input.source !== undefined ? asFolder(input.source) : undefined;
  const found: Found[] = [];
  const missing: NamedObject[] = [];
  let bucket = root?.bucket;
  let common: string | undefined = root?.key;
  let filteredOut = 0;
  let lookedUp = 0;

  async function* checked(): AsyncGenerator<NamedObject> {
    for await (const object of objects) {
      bucket ??= object.bucket;
      if (object.bucket !== bucket) {
        throw new UsageError(`${object.where}: names bucket "${object.bucket}" after "${bucket}"; a plan counts the objects of one bucket (split the list by bucket)`);
      }
      const problem = object.key === '' ? 'the key is empty' : unwritableKeyProblem(object.key);
      // A "." or ".." segment is a valid S3 key to read; only its per-file result could not be written.
      if (problem !== undefined && !problem.includes('segment')) throw new UsageError(`${object.where}: not an S3 key (${problem})`);
      if (object.key.endsWith('/')) continue; // a console-made "folder", not data (as when listing)
      common = common === undefined ? object.key : commonPrefix(common, object.key);
      if (options.keep(root === undefined ? object.key : object.key.slice(root.key.length))) yield object;
      else filteredOut++;
    }
  }

  const concurrency = options.lookupConcurrency ?? LOOKUP_CONCURRENCY;
  // Every lookup in flight listens to the signal: more than Node's default of 10 is expected.
  if (options.signal !== undefined) setMaxListeners(2 * concurrency + 10, options.signal);
  await forEachConcurrent(
    checked(),
    concurrency,
    async (object, order) => {
      if (object.size !== undefined && object.etag !== undefined) {
        found.push({ order, key: object.key, size: object.size, etag: object.etag, versionId: object.versionId });
        return;
      }
      lookedUp++;
      const head = await options.store.head({ bucket: object.bucket, key: object.key }, { signal: options.signal, versionId: object.versionId });
      if (head === undefined) missing.push(object);
      else found.push({ order, key: object.key, size: head.size, etag: head.etag, versionId: object.versionId });
    },
  );

  if (bucket === undefined) throw new UsageError(`${flag} ${inputUri(input)} names no objects`);
  const source: S3Path = { bucket, key: folderOf(common ?? '') };
  const named = (key: string) => key.slice(source.key.length);
  const items = onceEach(found, flag).map(({ key, size, etag, versionId }): PlanItem => (versionId === undefined ? { name: named(key), size, etag } : { name: named(key), size, etag, versionId }));
  const missingNames = [...new Set(missing.map((object) => named(object.key)))].sort(compareStrings);
  return { source, items, missing: missingNames, filteredOut, lookedUp };
}

/**
 * The objects in key order, a key named twice (same version) kept once; two versions of one
 * key are refused, named in the order the input gives them.
 */
function onceEach(found: Found[], flag: string): Found[] {
  found.sort((a, b) => compareStrings(a.key, b.key) || a.order - b.order);
  const once: Found[] = [];
  for (const object of found) {
    const previous = once.at(-1);
    if (previous?.key !== object.key) once.push(object);
    else if (previous.versionId !== object.versionId) {
      throw new UsageError(
        `${flag}: ${JSON.stringify(object.key)} is named twice, as versions ${previous.versionId ?? '(latest)'} and ${object.versionId ?? '(latest)'}; a plan counts each key once`,
      );
    }
  }
  return once;
}

function commonPrefix(a: string, b: string): string {
  let length = 0;
  while (length < a.length && length < b.length && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return a.slice(0, length);
}

/** The folder part of a key prefix: up to and including its last `/`. */
function folderOf(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
