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
export async function mergeShardResults(s3, dist, { shards, linesPerShard, vocabulary, name = 'merge' }) {
  const planUri = await plan(dist, s3.env, `s3://${SOURCE}/many/`, `s3://${RESULTS}/out-${name}/`, name, shards);
  const { parsePlanHeader, shardResultLocation } = requireKit();
  const header = parsePlanHeader(await s3.store.readText({ bucket: RESULTS, key: `plans/${name}.json` }));
  let bytes = 0;
  let nextShard = 0;
  const writer = async () => {
    for (let shardIndex = nextShard++; shardIndex < shards; shardIndex = nextShard++) {
      const body = shardBody(header.id, shardIndex, linesPerShard, vocabulary, 42 + shardIndex);
      bytes += body.length;
      await s3.store.putChunks(shardResultLocation(header, shardIndex), [body]);
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  const run = await merge(dist, s3.env, `s3://${RESULTS}/out-${name}/`, planUri);
  const entries = shards * linesPerShard;
  return {
    shards,
    entries,
    distinctWords: run.done.distinctWords,
    megabytes: bytes / MB,
    entriesPerSecond: entries / (run.done.durationMs / 1000),
    durationMs: run.done.durationMs,
    wallMs: run.wallMs,
    maxRssBytes: run.maxRssBytes,
  };
}

/** merge's rounds: 32 sources at once, the first round 32 shard results, each later one 31 and the merge so far. */
export const mergeRounds = (shards) => (shards <= 32 ? 1 : 1 + Math.ceil((shards - 32) / 31));

/**
 * merge at the Batch array limit: the same shard results' shape (`linesPerShard` lines from
 * one `vocabulary`) at each of `shardCounts`, so time and memory growth with the number of
 * shard results shows. A shard result waits on its open connection for at most its round, so
 * a round's length is what the client's 120 s idle timeout is compared with; the mean is
 * printed (a round merges the merge so far, at most the whole vocabulary, with 31 results, so
 * rounds grow only until the merge so far holds every word).
 */
export async function mergeAtScale(s3, dist, { shardCounts, linesPerShard, vocabulary }) {
  const rows = [];
  for (const shards of shardCounts) {
    const figures = await mergeShardResults(s3, dist, { shards, linesPerShard, vocabulary, name: `merge-${shards}` });
    const rounds = mergeRounds(shards);
    rows.push({ ...figures, rounds, meanRoundMs: figures.durationMs / rounds });
  }
  return { linesPerShard, vocabulary, rows };
}
