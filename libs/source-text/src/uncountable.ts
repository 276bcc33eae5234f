import type { SkipReason } from '@wordbatch/plan-schema';

/** An object that cannot be counted, for a reason of the closed set: skipped and listed, not a failed shard. */
export class UncountableObjectError extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'UncountableObjectError';
  }
}
