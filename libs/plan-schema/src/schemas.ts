import { z } from 'zod';
import { formatS3Path, parseS3Path, type S3Path } from '@wordbatch/s3-path';
import { MAX_SHARDS, PLAN_VERSION } from './limits';
import { skipReasonSchema } from './skip-reasons';
import { isKnownEncoding } from './encodings';

export { MAX_SHARDS, PLAN_VERSION };

/** Documents of format 1 are read too (limits.ts); everything written is PLAN_VERSION. */
const formatVersion = z.union([z.literal(1), z.literal(PLAN_VERSION)]);

/**
 * An S3 URI of the plan document, parsed once, when the document is read: every reader gets an
 * S3Path, and a URI that does not parse fails the read naming its field.
 */
const s3Uri = z.string().transform((uri, context): S3Path => {
  try {
    return parseS3Path(uri);
  } catch {
    context.addIssue({ code: 'custom', message: 'must be an s3://bucket/key URI', input: uri });
    return z.NEVER;
  }
});

const count = z.number().int().nonnegative();

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Plan ids are used in object keys, so they are restricted to a safe alphabet (no `/`, no `..`). */
export const planIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lowercase letters, digits and hyphens');

export const tokenizerSchema = z.enum(['unicode', 'whitespace']);

export const planSettingsSchema = z.strictObject({
  tokenizer: tokenizerSchema,
  perFile: z.boolean(),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  /** The --shard-bytes target, or null when --shards fixed the count. */
  shardBytes: z.number().int().positive().nullable(),
  /** How stored bytes become text (text-settings.ts); absent in plans written before these flags. */
  text: z
    .strictObject({
      /** A WHATWG encoding name, as TextDecoder reports it (`latin1` is recorded as `windows-1252`). */
      encoding: z.string().refine(isKnownEncoding, 'must be an encoding this runtime decodes'),
      strictEncoding: z.boolean(),
      /** Bytes out per stored byte that a compressed object may expand to. */
      maxExpansionRatio: z.number().positive(),
      /** Bytes out that one compressed object may expand to. */
      maxExpandedBytes: z.number().int().positive(),
    })
    .optional(),
});

export const planHeaderSchema = z.strictObject({
  version: formatVersion,
  kind: z.literal('wordbatch-plan'),
  id: planIdSchema,
  createdAt: z.iso.datetime(),
  /** Folder URIs (ending in `/` unless a bucket root). */
  source: s3Uri,
  destination: s3Uri,
  /** Where the per-shard item lists live. */
  shardLists: s3Uri,
  settings: planSettingsSchema,
  shardCount: z.number().int().min(1).max(MAX_SHARDS),
  totals: z.strictObject({ files: count, bytes: count }),
  /** S3 requests plan made (its LISTs, and its PUTs: shard lists, the header's copy and the header), for the run's actual cost. */
  requests: z.strictObject({ list: count, put: count }).optional(),
});

export const planItemSchema = z.strictObject({
  /** The key relative to the plan's source folder. */
  name: z
    .string()
    .min(1)
    .refine((name) => !UNPAIRED_SURROGATE.test(name), 'must be valid Unicode (an S3 key has no unpaired surrogate)'),
  size: count,
  /** The ETag listed at planning time, without quotes: migrate reads exactly this version. */
  etag: z.string().min(1),
  /**
   * The S3 version id an inventory or key list named (format 2): migrate GETs that version,
   * not the latest. Absent for objects found by listing, which are read as they are now.
   */
  versionId: z
    .string()
    .min(1)
    .refine((id) => !UNPAIRED_SURROGATE.test(id), 'must be valid Unicode')
    .optional(),
});

/** How format 1 wrote its one reason; read as the reason and detail it stands for. */
const LEGACY_BINARY_REASON = 'binary (contains a NUL byte)';

export const skippedFileSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && (value as { reason?: unknown }).reason === LEGACY_BINARY_REASON
      ? { ...value, reason: 'binary', detail: 'contains a NUL byte' }
      : value,
  z.strictObject({
    name: z.string(),
    reason: skipReasonSchema,
    /** What exactly was found, for a person (the decompressor's message, the limit passed). */
    detail: z.string().optional(),
  }),
);

/** An object counted although some of its byte sequences were invalid in the plan's encoding. */
export const invalidTextSchema = z.strictObject({ name: z.string(), invalidSequences: count.min(1) });

export const shardListSchema = z.strictObject({
  version: formatVersion,
  kind: z.literal('wordbatch-shard-list'),
  planId: planIdSchema,
  shardIndex: count,
  bytes: count,
  items: z.array(planItemSchema),
  /**
   * Objects the plan was given but did not find (`plan --allow-missing`, format 2): migrate
   * copies them into its shard result's skipped list, so merge lists them with the rest.
   */
  skipped: z.array(skippedFileSchema).optional(),
});


export const shardStatsSchema = z.strictObject({
  files: count,
  bytes: count,
  words: count,
  distinctWords: count,
  skipped: z.array(skippedFileSchema),
  /** Objects counted with invalid sequences (each became U+FFFD), by name; absent in older results. */
  invalidText: z.array(invalidTextSchema).optional(),
});

/** The first line of a shard result; the rest of the object is `word<TAB>count` lines. */
export const shardResultHeaderSchema = z.strictObject({
  version: formatVersion,
  kind: z.literal('wordbatch-shard-result'),
  planId: planIdSchema,
  shardIndex: count,
  tokenizer: tokenizerSchema,
  stats: shardStatsSchema,
});

/**
 * How long migrate took on one shard, kept apart from the shard result so that a re-run still
 * rewrites the result's exact bytes; the report reads it to show stragglers.
 */
export const shardTimingSchema = z.strictObject({
  version: z.literal(PLAN_VERSION),
  kind: z.literal('wordbatch-shard-timing'),
  planId: planIdSchema,
  shardIndex: count,
  startedAt: z.iso.datetime(),
  /** From reading the plan to the shard result written. */
  durationMs: count,
  /** Worker threads that counted (0: the main thread did). */
  countingThreads: count,
  /** S3 requests the child made up to its result's PUT (included), for the run's actual cost; the timing's own PUT is not in it. */
  requests: z.strictObject({ list: count, get: count, put: count }).optional(),
});

/** A plan header as read: its URIs already parsed. */
export type PlanHeader = z.output<typeof planHeaderSchema>;
/** A plan header as written in the document: its URIs as `s3://` strings. */
export type PlanHeaderDocument = z.input<typeof planHeaderSchema>;

/** The document of a header: what plan writes, and what parsePlanHeader reads back equal. */
export function planHeaderDocument(header: PlanHeader): PlanHeaderDocument {
  return {
    ...header,
    source: formatS3Path(header.source),
    destination: formatS3Path(header.destination),
    shardLists: formatS3Path(header.shardLists),
  };
}
export type PlanSettings = z.infer<typeof planSettingsSchema>;
export type PlanItem = z.infer<typeof planItemSchema>;
export type ShardList = z.infer<typeof shardListSchema>;
export type ShardStats = z.infer<typeof shardStatsSchema>;
export type SkippedFile = z.infer<typeof skippedFileSchema>;
export type InvalidText = z.infer<typeof invalidTextSchema>;
export type TextSettings = NonNullable<PlanSettings['text']>;
export type ShardResultHeader = z.infer<typeof shardResultHeaderSchema>;
export type ShardTiming = z.infer<typeof shardTimingSchema>;
export type TokenizerName = z.infer<typeof tokenizerSchema>;
