/**
 * The merge flags that `local` and `submit` accept and hand to merge unchanged: merge
 * itself validates them, so a bad value fails the same way however the run was started.
 */
export const MERGE_FLAGS = {
  top: { type: 'string' },
  'min-length': { type: 'string' },
  'min-count': { type: 'string' },
  stopwords: { type: 'string' },
  output: { type: 'string' },
  'allow-partial': { type: 'boolean' },
} as const;

const VALUE_FLAGS = ['top', 'min-length', 'min-count', 'stopwords', 'output'] as const;

/** Merge's arguments from parsed flags, in a fixed order. */
export function mergePassThroughArgs(flags: Readonly<Record<string, unknown>>): string[] {
  const args = VALUE_FLAGS.flatMap((flag) => {
    const value = flags[flag];
    return typeof value === 'string' ? [`--${flag}`, value] : [];
  });
  if (flags['allow-partial'] === true) args.push('--allow-partial');
  return args;
}
