import type { Readable } from 'node:stream';
import { retryDelayMs, sleep, TransientError, UsageError } from '@wordbatch/errors';
import { parseShardResultHeader, PlanFormatError, shardResultLocation, type PlanHeader, type ShardResultHeader } from '@wordbatch/plan-schema';
import { formatS3Path } from '@wordbatch/s3-path';
import { BODY_READ_ATTEMPTS, toStageError, type ObjectStore } from '@wordbatch/s3-store';
import type { CountLinesSource } from '@wordbatch/word-count';

const NEWLINE = 0x0a;

/** A shard result whose header line has been read and checked; its body is still streaming. */
export interface OpenedShardResult {
  readonly header: ShardResultHeader;
  /** The `word<TAB>count` lines after the header, for mergeCountLines. */
  readonly lines: CountLinesSource;
  /** Releases the connection; call it whether or not `lines` was read to the end. */
  close(): void;
}

/**
 * Opens one shard result and reads its first line, a JSON header, checked against the plan.
 * The rest is left streaming, so memory holds a few chunks of it, not the whole object.
 * A body that breaks (a reset, or the client's idle timeout while the rest of a round is
 * merged) is read again from the byte it broke at, pinned to the same version (If-Match),
 * BODY_READ_ATTEMPTS reads in all; any other failure surfaces from `lines` as a StageError
 * naming the shard result.
 */
export async function openShardResult(
  store: ObjectStore,
  header: PlanHeader,
  shardIndex: number,
  signal: AbortSignal,
): Promise<OpenedShardResult> {
  const location = shardResultLocation(header, shardIndex);
  const what = `shard result ${formatS3Path(location)}`;
  const opened = await store.open(location, { signal });
  const reading = { body: opened.body };
  const reopen = async (from: number) => (await store.open(location, { signal, ifMatch: opened.etag, range: { start: from } })).body;
  try {
    const chunks = readChunks(reading, opened.size, reopen, what, signal);
    const { headerText, rest } = await readHeaderLine(chunks);
    if (headerText === undefined) throw new UsageError(`${what} has no header line`);
    const resultHeader = checkHeader(headerText, what, header, shardIndex);
    return { header: resultHeader, lines: { name: what, chunks: prepend(rest, chunks) }, close: () => reading.body.destroy() };
  } catch (error) {
    reading.body.destroy();
    throw error;
  }
}

/** The body's bytes; `reading.body` is the stream being read, replaced when a broken one is opened again from `reopen(byte)`. */
async function* readChunks(
  reading: { body: Readable },
  size: number,
  reopen: (from: number) => Promise<Readable>,
  what: string,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      for await (const chunk of reading.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        yield chunk;
      }
      return;
    } catch (error) {
      reading.body.destroy();
      const failure = toStageError(error, what, signal);
      if (!(failure instanceof TransientError) || attempt >= BODY_READ_ATTEMPTS || received >= size) throw failure;
      await sleep(retryDelayMs(attempt), signal);
      try {
        reading.body = await reopen(received);
      } catch (reopenError) {
        throw toStageError(reopenError, what, signal);
      }
    }
  }
}

/** The text before the first newline (undefined when there is none) and the bytes after it. */
async function readHeaderLine(chunks: AsyncIterator<Uint8Array>): Promise<{ headerText?: string; rest: Uint8Array }> {
  const headerBytes: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await chunks.next();
    if (done) return { rest: new Uint8Array(0) };
    const newline = value.indexOf(NEWLINE);
    if (newline === -1) {
      headerBytes.push(value);
      continue;
    }
    headerBytes.push(value.subarray(0, newline));
    return { headerText: Buffer.concat(headerBytes).toString('utf8'), rest: value.subarray(newline + 1) };
  }
}

async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
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
