import { createHash } from 'node:crypto';
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { InputChangedError, StageError, UsageError } from '@wordbatch/errors';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { toStageError, type ObjectStore } from '@wordbatch/s3-store';

/** A line of a key list is one key (at most 1,024 bytes) or one small JSON object: anything far longer is not a list. */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Streams an input object's bytes, gunzipped when its name ends in `.gz` (every member of a
 * multi-member file). With `md5`, the stored bytes must have that MD5 (an inventory
 * manifest names each data file's): a truncated or replaced file fails instead of
 * silently planning part of a bucket. Errors leave as StageErrors naming the object.
 */
export async function openInputBytes(
  store: ObjectStore,
  path: S3Path,
  options: { signal?: AbortSignal; flag: string; md5?: string },
): Promise<AsyncIterable<Buffer>> {
  const uri = formatS3Path(path);
  const { body } = await store.open(path, { signal: options.signal });
  const stages: Array<Readable | Transform> = [body];
  if (options.md5 !== undefined) stages.push(md5Check(options.md5, `${options.flag} ${uri}`));
  if (path.key.endsWith('.gz')) stages.push(createGunzip());
  if (stages.length === 1) return withStageErrors(body, uri, options);
  const last = stages[stages.length - 1] as Transform;
  // pipeline() destroys every stage on the first error, so the reader of `last` sees it.
  pipeline(stages, () => undefined);
  return withStageErrors(last, uri, options);
}

async function* withStageErrors(stream: AsyncIterable<Buffer>, uri: string, options: { signal?: AbortSignal; flag: string }): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new UsageError(`${options.flag} ${uri} is not valid gzip (${(error as Error).message}); a name ending in .gz must hold gzip data`);
    }
    throw error instanceof StageError ? error : toStageError(error, uri, options.signal);
  }
}

function md5Check(expected: string, what: string): Transform {
  const hash = createHash('md5');
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      const actual = hash.digest('hex');
      done(actual === expected.toLowerCase() ? null : new InputChangedError(`${what} has MD5 ${actual}, but its manifest says ${expected}: truncated or replaced since the report was written`));
    },
  });
}

/** The lines of a UTF-8 text (LF or CRLF), each with its 1-based number. */
export async function* textLines(chunks: AsyncIterable<Buffer>, what: string): AsyncGenerator<{ line: string; number: number }> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let number = 0;
  let atStart = true;
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    let start = 0;
    // A byte order mark (as spreadsheet programs write one) is not part of the first key; it is
    // looked for once, in the text's first character, wherever the chunks were cut.
    if (atStart && pending !== '') {
      atStart = false;
      if (pending.startsWith('\ufeff')) start = 1;
    }
    for (let end = pending.indexOf('\n', start); end !== -1; end = pending.indexOf('\n', start)) {
      yield { line: withoutCr(pending.slice(start, end)), number: ++number };
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw new UsageError(`${what} line ${number + 1} is longer than ${MAX_LINE_CHARS} characters: not a key list`);
  }
  pending += decoder.end();
  if (pending !== '') yield { line: withoutCr(pending), number: ++number };
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
