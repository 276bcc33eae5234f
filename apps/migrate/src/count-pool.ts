import type { ShardCounter, ShardCounterOptions } from './counter';
import { CountThreads } from './count-threads';
import { InThreadCounter } from './in-thread-counter';

/** Counting threads for a machine with cores to spare; the calling thread otherwise. */
export function startShardCounter(options: ShardCounterOptions): ShardCounter {
  const local = new InThreadCounter(options.tokenizer, options.perFile);
  return options.threads < 2 ? local : new CountThreads(options, local);
}
