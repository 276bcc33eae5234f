import { z } from 'zod';

/**
 * Why an object the plan named was not counted: a closed set, so a reader of result.json can
 * total and act on each (the README's table lists them, and a test keeps it in step).
 * An object that changed or vanished since it was planned is not among them: that fails the
 * shard (exit 3), since the plan no longer describes the data.
 */
export const SKIP_REASON_DESCRIPTIONS = {
  binary: 'contains a NUL byte once decompressed and decoded: not text',
  'compressed-unsupported': 'compressed in a format this runtime cannot decompress (zstd before Node.js 22.15)',
  'corrupt-compressed': 'the compressed stream is corrupt or truncated',
  'too-large-after-expansion': "decompressing it passed the plan's expansion limits (--max-expansion, --max-expanded-bytes)",
  'invalid-encoding': "with --strict-encoding: it has byte sequences that are invalid in the plan's encoding",
  missing: 'named by an inventory or key list but not found when planned (plan --allow-missing)',
} as const;

export type SkipReason = keyof typeof SKIP_REASON_DESCRIPTIONS;

export const SKIP_REASONS = Object.keys(SKIP_REASON_DESCRIPTIONS) as [SkipReason, ...SkipReason[]];

export const skipReasonSchema = z.enum(SKIP_REASONS);
