import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * result.json as merge writes it. Only what the report draws is checked: the words, the shard
 * count and the skipped objects. Everything else merge puts there (totals, settings, tallies
 * added later) is kept as found and shown as it is, so a newer merge never breaks the report.
 */
export const runResultSchema = z.looseObject({
  planId: z.string().min(1),
  partial: z.boolean().optional(),
  missingShards: z.array(count).optional(),
  totals: z.looseObject({ shards: z.number().int().positive() }),
  settings: z.record(z.string(), z.unknown()).optional(),
  skipped: z.array(z.looseObject({ name: z.string(), reason: z.string() })).optional(),
  words: z.array(z.strictObject({ word: z.string(), count })),
});

export type RunResult = z.infer<typeof runResultSchema>;

/** A result.json that cannot be read: its message names the document and the field. */
export class RunResultError extends Error {
  override readonly name = 'RunResultError';
}

export function parseRunResult(text: string, what: string): RunResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RunResultError(`${what} is not valid JSON`);
  }
  // reportInput: without it zod leaves `input` off every issue, and a field of the wrong type read as missing.
  const parsed = runResultSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length > 0 ? issue.path.join('.') : '(document)';
    const problem = issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message.toLowerCase();
    throw new RunResultError(`${what}: field "${field}" ${problem}`);
  }
  return parsed.data;
}
