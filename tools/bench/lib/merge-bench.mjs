// The merge stage over synthetic shard results: many (word, count) lines per shard, words
// spread like a vocabulary (common words in every shard, rare ones in few), as migrate
// writes them (a JSON header line, then word<TAB>count lines sorted by word).
import { requireKit } from './kit.mjs';
import { MB } from './measure.mjs';
import { merge, plan } from './stages.mjs';
import { RESULTS, SOURCE } from './migrate-bench.mjs';

function shardBody(planId, shardIndex, lines, vocabulary, seed) {
  const { WordCounts, serializeCountLines } = requireKit();
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const counts = new WordCounts();
  while (counts.size < lines) {
    // rank ~ vocabulary^u is log-uniform: a rough Zipf over word ranks.
    const rank = Math.floor(vocabulary ** random());
    counts.add(`w${rank.toString(36)}`, 1 + Math.floor(1000 / (rank + 1)));
  }
  const header = {
    version: 1,
    kind: 'wordbatch-shard-result',
    planId,
    shardIndex,
    tokenizer: 'unicode',
    stats: { files: 1, bytes: 1, words: counts.total, distinctWords: counts.size, skipped: [] },
  };
  return Buffer.from(`${JSON.stringify(header)}\n${Array.from(serializeCountLines(counts)).join('')}`);
}

/**
 * Plans `shards` shards over any source (only the plan header matters to merge), writes a
 * synthetic result for each, then runs merge: entries per second over its whole run.
 */
export async function mergeShardResults(s3, dist, { shards, linesPerShard, vocabulary }) {
  const planUri = await plan(dist, s3.env, `s3://${SOURCE}/many/`, `s3://${RESULTS}/out-merge/`, 'merge', shards);
  const header = JSON.parse(await s3.store.readText({ bucket: RESULTS, key: 'plans/merge.json' }));
  const { shardResultLocation } = requireKit();
  let bytes = 0;
  for (let shardIndex = 0; shardIndex < shards; shardIndex++) {
    const body = shardBody(header.id, shardIndex, linesPerShard, vocabulary, 42 + shardIndex);
    bytes += body.length;
    await s3.store.putChunks(shardResultLocation(header, shardIndex), [body]);
  }
  const run = await merge(dist, s3.env, `s3://${RESULTS}/out-merge/`, planUri);
  const entries = shards * linesPerShard;
  return {
    shards,
    entries,
    distinctWords: run.done.distinctWords,
    megabytes: bytes / MB,
    entriesPerSecond: entries / (run.done.durationMs / 1000),
    maxRssBytes: run.maxRssBytes,
  };
}
