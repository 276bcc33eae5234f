import { posix } from 'node:path';
import { forEachConcurrent } from '@wordbatch/concurrency';
import { type Logger, megabytesPerSecond } from '@wordbatch/cli';
import { estimateCost, formatCostEstimate } from '@wordbatch/cost';
import { InputChangedError, UsageError } from '@wordbatch/errors';
import { gatherNamedObjects, inputFlag, inputUri, missingObject, type NamedInput, type PlanInput } from '@wordbatch/plan-inputs';
import {
  assertPlanWritesOutsideSource,
  formatPlanHeader,
  MAX_SHARDS,
  perFileLocation,
  PLAN_VERSION,
  planCopyLocation,
  PackedPlanItems,
  PlanFormatError,
  PlanItemPacker,
  shardListChunks,
  shardListLocation,
  shardListsFolderFor,
  type PlanHeader,
  type ShardList,
  type SkippedFile,
} from '@wordbatch/plan-schema';
import { assignShards, createNameFilter, derivePlanId, shardCountForBytes } from '@wordbatch/planner';
import { asFolder, formatS3Path, relativeName, type S3Path } from '@wordbatch/s3-path';
import { fanOutOptions, unwritableKeyProblem, type FanOutOptions, type ObjectStore } from '@wordbatch/s3-store';
import { expectedTextBytes } from '@wordbatch/source-text';
import { assertWritesOutsideSource, type PlanOptions } from '@wordbatch/stage-commands';

export interface PlanDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly now?: () => Date;
}

export interface PlanSummary {
  readonly header: PlanHeader;
  readonly plan: string;
  /** Objects under the source left out by --include/--exclude. */
  readonly filteredOut: number;
  /** Objects the manifest or key list named that do not exist (listed as skipped: --allow-missing). */
  readonly missing: number;
  /** The manifest or key list read, when the input was not a prefix. */
  readonly input?: string;
  readonly durationMs: number;
}

/** Shard lists written at once: enough to hide request latency, few enough to stay polite. */
const WRITE_CONCURRENCY = 16;

/** The objects to plan, the folder their names are relative to, and what was left out. */
interface Gathered {
  readonly source: S3Path;
  /** In name order (a listing's key order, or sorted): the shard lists keep it. */
  readonly items: PackedPlanItems;
  readonly missing: string[];
  readonly filteredOut: number;
}

/** Lists the source (or reads the inventory or key list), splits it into shards and writes the plan; the header is written last. */
export async function runPlan(options: PlanOptions, deps: PlanDeps): Promise<PlanSummary> {
  const started = Date.now();
  const destination = asFolder(options.destination);
  const shardLists = shardListsFolder(options);
  const keep = createNameFilter(options.include, options.exclude);
  const { input } = options;
  // A prefix is checked before it is listed; a manifest or list says where its objects are only once read.
  if (input.kind === 'prefix') assertWritesOutsideSource(asFolder(input.source), options, shardLists);
  const gathered = input.kind === 'prefix' ? await listSource(asFolder(input.source), keep, fanOutOptions(options.listConcurrency, options.listDepth), deps) : await readNamedInput(input, keep, deps);
  const { source, items, missing, filteredOut } = gathered;
  assertWritesOutsideSource(source, options, shardLists);
  if (missing.length > 0 && !options.allowMissing) throw missingObjectsError(options.input, source, missing);
  const bytes = items.totalBytes;
  deps.logger.info(
    { files: items.length, bytes, filteredOut, missing: missing.length, listRequests: deps.store.requests.list, source: formatS3Path(source), input: inputUri(input) },
    'Plan:Listed',
  );

  // Compressed objects weigh the text they are expected to expand to (see expectedTextBytes).
  // Weighed once into a typed array (8 bytes an item): balancing reads each weight several times.
  const weights = new Float64Array(items.length);
  let textBytes = 0;
  for (let index = 0; index < items.length; index++) {
    weights[index] = expectedTextBytes(items.nameAt(index), items.sizeAt(index));
    textBytes += weights[index];
  }
  const shardCount = options.shards ?? shardCountForBytes(textBytes, items.length, options.shardBytes, MAX_SHARDS);
  const settings = {
    tokenizer: options.tokenizer,
    perFile: options.perFile,
    include: [...options.include],
    exclude: [...options.exclude],
    shardBytes: options.shards === undefined ? options.shardBytes : null,
    text: { ...options.text },
  };
  const skipped: SkippedFile[] = missing.map(missingObject);
  const identity = {
    source: formatS3Path(source),
    destination: formatS3Path(destination),
    settings,
    shardCount,
    // What the results will list as skipped is part of what they are.
    ...(skipped.length > 0 ? { skipped } : {}),
  };
  const header: PlanHeader = {
    version: PLAN_VERSION,
    kind: 'wordbatch-plan',
    id: derivePlanId(posix.basename(options.plan.key, '.json'), identity, items),
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
    source,
    destination,
    shardLists,
    settings,
    shardCount,
    totals: { files: items.length, bytes },
  };
  try {
    assertPlanWritesOutsideSource(header);
  } catch (error) {
    if (error instanceof PlanFormatError) throw new UsageError(`--destination: ${error.message}`);
    throw error;
  }

  if (options.perFile) assertPerFileKeysWritable(header, items);

  const shards = assignShards({ length: items.length, sizeAt: (index) => items.sizeAt(index), weightAt: (index) => weights[index] }, shardCount);
  // Each list is made as it is written, a chunk at a time: WRITE_CONCURRENCY lists in memory at most.
  await forEachConcurrent(
    Array.from({ length: shardCount }, (_, shardIndex) => shardIndex),
    WRITE_CONCURRENCY,
    async (shardIndex) => {
      const list: Omit<ShardList, 'items'> = {
        version: PLAN_VERSION,
        kind: 'wordbatch-shard-list',
        planId: header.id,
        shardIndex,
        bytes: shards.bytes[shardIndex],
      };
      // Missing objects are spread over the shards (each listed by exactly one), so merge lists them all.
      const shardSkipped = skipped.filter((_, index) => index % shardCount === shardIndex);
      const members = shards.order.subarray(shards.starts[shardIndex], shards.starts[shardIndex + 1]);
      const chunks = shardListChunks(shardSkipped.length > 0 ? { ...list, skipped: shardSkipped } : list, itemsAt(items, members));
      await deps.store.putChunks(shardListLocation(header, shardIndex), chunks, { signal: deps.signal, contentType: 'application/json' });
    },
    deps.signal,
  );
  // The header's copy and the header itself are the last two PUTs: counted before they are made.
  const written: PlanHeader = { ...header, requests: { list: deps.store.requests.list, put: deps.store.requests.put + 2 } };
  const headerJson = formatPlanHeader(written);
  await deps.store.put(planCopyLocation(header), headerJson, { signal: deps.signal, contentType: 'application/json' });
  // Last: a plan header that exists always has every shard list behind it.
  await deps.store.put(options.plan, headerJson, { signal: deps.signal, contentType: 'application/json' });

  const durationMs = Date.now() - started;
  deps.logger.info(
    {
      planId: header.id,
      files: items.length,
      bytes,
      shards: shardCount,
      durationMs,
      // Bytes planned per second: how fast the listing covers the corpus.
      megabytesPerSecond: megabytesPerSecond(bytes, durationMs),
      plan: formatS3Path(options.plan),
    },
    'Plan:Written',
  );
  const namedBy = input.kind === 'prefix' ? undefined : `${inputFlag(input)} ${inputUri(input)}`;
  return { header: written, plan: formatS3Path(options.plan), filteredOut, missing: missing.length, input: namedBy, durationMs };
}

/** Every object below `source`, in key order, listed side by side (--list-concurrency, --list-depth). */
async function listSource(source: S3Path, keep: (name: string) => boolean, listing: FanOutOptions, deps: PlanDeps): Promise<Gathered> {
  const packer = new PlanItemPacker();
  let filteredOut = 0;
  for await (const page of deps.store.listPages(source, { signal: deps.signal, fanOut: listing })) {
    for (const object of page) {
      if (object.key.endsWith('/')) continue; // a console-made "folder", not data
      const name = relativeName(source, object.key);
      if (keep(name)) packer.addItem(name, object.size, object.etag);
      else filteredOut++;
    }
  }
  return { source, items: packer.finish(), missing: [], filteredOut };
}

/** The objects an inventory report or key list names. */
async function readNamedInput(input: NamedInput, keep: (name: string) => boolean, deps: PlanDeps): Promise<Gathered> {
  const gathered = await gatherNamedObjects(input, { store: deps.store, signal: deps.signal, keep });
  deps.logger.info({ input: inputUri(input), lookedUp: gathered.lookedUp, missing: gathered.missing.length }, 'Plan:InputRead');
  return { ...gathered, items: PackedPlanItems.from(gathered.items) };
}

function* itemsAt(items: PackedPlanItems, indices: Uint32Array) {
  for (const index of indices) yield items.at(index);
}

/** Without --allow-missing, objects the input names but S3 does not have fail the plan (exit 3), the first few named. */
function missingObjectsError(input: PlanInput, source: S3Path, missing: readonly string[]): InputChangedError {
  const first = missing.slice(0, MISSING_NAMED).map((name) => JSON.stringify(`${formatS3Path(source)}${name}`));
  return new InputChangedError(
    `${inputFlag(input)} ${inputUri(input)} names ${missing.length} object(s) that do not exist: ${first.join(', ')}${missing.length > MISSING_NAMED ? ', …' : ''}; fix the list, or plan with --allow-missing to list them as skipped`,
  );
}

/** Missing objects an error message names: enough to see the pattern, short enough for one line. */
const MISSING_NAMED = 5;

/** With --per-file, an object whose counts could not be written would fail its shard later: refuse now. */
function assertPerFileKeysWritable(header: PlanHeader, items: PackedPlanItems): void {
  let unwritable = 0;
  let first: string | undefined;
  for (let index = 0; index < items.length; index++) {
    const name = items.nameAt(index);
    if (unwritableKeyProblem(perFileLocation(header, name).key) === undefined) continue;
    unwritable++;
    first ??= name;
  }
  if (first === undefined) return;
  throw new UsageError(
    `--per-file: ${unwritable} object(s) have no writable per-file key, first "${first}" (${unwritableKeyProblem(perFileLocation(header, first).key)}); --exclude them or drop --per-file`,
  );
}

function shardListsFolder(options: PlanOptions) {
  try {
    return shardListsFolderFor(options.plan);
  } catch (error) {
    if (error instanceof PlanFormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** The human summary printed on stdout. */
export function formatPlanSummary(summary: PlanSummary): string {
  const { header } = summary;
  const lines = [
    `Plan ${header.id}`,
    ...(summary.input === undefined ? [] : [`  input        ${summary.input}`]),
    `  source       ${formatS3Path(header.source)}`,
    `  destination  ${formatS3Path(header.destination)}`,
    `  files        ${header.totals.files}${summary.filteredOut ? ` (${summary.filteredOut} filtered out)` : ''}${summary.missing ? ` (${summary.missing} missing, listed as skipped)` : ''}`,
    `  bytes        ${header.totals.bytes}`,
    `  shards       ${header.shardCount}`,
    `  plan         ${summary.plan}`,
    // What the run will cost, from this plan's own totals and LISTs, at the default throughput and
    // prices; `wordbatch submit --dry-run` states it again with --price and --throughput-per-vcpu.
    ...formatCostEstimate(
      estimateCost({ objects: header.totals.files, bytes: header.totals.bytes, shards: header.shardCount, listRequests: header.requests?.list }),
    ),
    `Submit migrate with array size ${header.shardCount}${header.shardCount === 1 ? ' (a single job: Batch arrays start at 2)' : ''}.`,
  ];
  return `${lines.join('\n')}\n`;
}
