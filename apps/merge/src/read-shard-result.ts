import { UsageError } from '@wordbatch/cli';
import { parseShardResultHeader, PlanFormatError, shardResultLocation, type PlanHeader, type ShardResultHeader } from '@wordbatch/plan-schema';
import { formatS3Path } from '@wordbatch/s3-path';
import { toStageError, type ObjectStore } from '@wordbatch/s3-store';
import { CountFormatError, CountLinesParser, type WordCounts } from '@wordbatch/word-count';

const NEWLINE = 0x0a;

/**
 * Streams one shard result into `into`: its first line is a JSON header, checked against
 * the plan; the rest are `word<TAB>count` lines, added as they arrive so memory follows
 * the vocabulary, not the size of the results.
 */
export async function readShardResult(
  store: ObjectStore,
  header: PlanHeader,
  shardIndex: number,
  into: WordCounts,
  signal: AbortSignal,
): Promise<ShardResultHeader> {
  const location = shardResultLocation(header, shardIndex);
  const what = `shard result ${formatS3Path(location)}`;
  const { body } = await store.open(location, { signal });
  const parser = new CountLinesParser(into);
  let headerBytes: Buffer[] | undefined = [];
  let resultHeader: ShardResultHeader | undefined;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (headerBytes === undefined) {
        parser.write(chunk);
        continue;
      }
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        headerBytes.push(chunk);
        continue;
      }
      headerBytes.push(chunk.subarray(0, newline));
      resultHeader = checkHeader(Buffer.concat(headerBytes).toString('utf8'), what, header, shardIndex);
      headerBytes = undefined;
      parser.write(chunk.subarray(newline + 1));
    }
    if (resultHeader === undefined) throw new UsageError(`${what} has no header line`);
    parser.end();
  } catch (error) {
    if (error instanceof CountFormatError) throw new UsageError(`${what}: ${error.message}`);
    throw toStageError(error, what, signal);
  } finally {
    body.destroy();
  }
  return resultHeader;
}

function checkHeader(text: string, what: string, header: PlanHeader, shardIndex: number): ShardResultHeader {
  let parsed: ShardResultHeader;
  try {
    parsed = parseShardResultHeader(text, what);
  } catch (error) {
    if (error instanceof PlanFormatError) throw new UsageError(error.message);
    throw error;
  }
  if (parsed.planId !== header.id || parsed.shardIndex !== shardIndex || parsed.tokenizer !== header.settings.tokenizer) {
    throw new UsageError(`${what} belongs to plan ${parsed.planId} shard ${parsed.shardIndex}, not plan ${header.id} shard ${shardIndex}`);
  }
  return parsed;
}
