import { z } from 'zod';
import { READABLE_PLAN_VERSIONS } from './limits';
import {
  planHeaderDocument,
  planHeaderSchema,
  shardListSchema,
  shardResultHeaderSchema,
  shardTimingSchema,
  type PlanHeader,
  type ShardList,
  type ShardResultHeader,
  type ShardTiming,
} from './schemas';

/** A plan document that cannot be read: its message names the document and the field. */
export class PlanFormatError extends Error {
  override readonly name = 'PlanFormatError';
}

function parseDocument<T>(schema: z.ZodType<T, unknown>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PlanFormatError(`${what} is not valid JSON`);
  }
  const version = typeof json === 'object' && json !== null ? (json as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && !READABLE_PLAN_VERSIONS.includes(version)) {
    throw new PlanFormatError(
      `${what} has format version ${version}; this build reads versions ${READABLE_PLAN_VERSIONS.join(' and ')} (use the matching wordbatch release)`,
    );
  }
  // reportInput: without it zod leaves `input` off every issue, and a field of the wrong type read as missing.
  const result = schema.safeParse(json, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.length > 0 ? issue.path.join('.') : '(document)';
    throw new PlanFormatError(`${what}: field "${field}" ${describeIssue(issue)}`);
  }
  return result.data;
}

/** A key from the document as typed, unless it holds characters that would break the one-line message. */
function quoteOddKey(key: string): string {
  return /^[\w.$-]+$/.test(key) ? key : JSON.stringify(key);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `has unknown keys ${issue.keys.map(quoteOddKey).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

export function parsePlanHeader(text: string, what = 'plan'): PlanHeader {
  return parseDocument(planHeaderSchema, text, what);
}

/** The text plan writes for a header (indented, newline-terminated); parsePlanHeader reads it back equal. */
export function formatPlanHeader(header: PlanHeader): string {
  return `${JSON.stringify(planHeaderDocument(header), null, 2)}\n`;
}

export function parseShardList(text: string, what = 'shard list'): ShardList {
  return parseDocument(shardListSchema, text, what);
}

export function parseShardResultHeader(text: string, what = 'shard result'): ShardResultHeader {
  return parseDocument(shardResultHeaderSchema, text, what);
}

export function parseShardTiming(text: string, what = 'shard timing'): ShardTiming {
  return parseDocument(shardTimingSchema, text, what);
}
