import { assertCanDecompress, detectCompression, HEAD_BYTES, type CompressionFormat, type CompressionHints } from './compression';
import { decompress, type ExpansionLimits } from './decompress';
import { SourceText } from './source-text';
import { UncountableObjectError } from './uncountable';

export interface ObjectTextOptions {
  readonly hints: CompressionHints;
  /** The object's stored size (the plan's): the expansion ratio applies to it. */
  readonly storedBytes: number;
  /** A WHATWG encoding name: how bytes without a BOM are read. */
  readonly encoding: string;
  /** Skip an object with invalid sequences instead of counting them as U+FFFD. */
  readonly strictEncoding: boolean;
  readonly limits: ExpansionLimits;
}

/** One object's text, opened: what it turned out to be, and its UTF-8 to count. */
export interface ObjectText {
  /** The compression found in its bytes, if any. */
  readonly format: CompressionFormat | undefined;
  /** The UTF-8 to count. Throws UncountableObjectError when the object turns out not countable. */
  readonly utf8: AsyncIterable<Uint8Array>;
  /** Sequences that became U+FFFD (complete once `utf8` is exhausted). */
  readonly invalidSequences: number;
}

/**
 * Reads the first bytes of `stored` to tell what the object is (compression.ts), then streams
 * it through the decompressor, if any, and the decoder (source-text.ts). Nothing is counted
 * here: a caller that gets UncountableObjectError drops what it was given and lists the
 * object as skipped with the error's reason.
 */
export async function openObjectText(stored: AsyncIterable<Uint8Array>, options: ObjectTextOptions): Promise<ObjectText> {
  const iterator = stored[Symbol.asyncIterator]();
  const { head, whole } = await readHead(iterator);
  const format = detectCompression(head, whole, options.hints);
  if (format !== undefined) {
    try {
      assertCanDecompress(format);
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
  }
  const rest = restartAt(head, iterator);
  const bytes = format === undefined ? rest : decompress(rest, format, options.storedBytes, options.limits);
  const text = new SourceText(options.encoding);
  return {
    format,
    utf8: decode(bytes, text, options.strictEncoding),
    get invalidSequences() {
      return text.invalidSequences;
    },
  };
}

async function* decode(bytes: AsyncIterable<Uint8Array>, text: SourceText, strict: boolean): AsyncGenerator<Uint8Array> {
  for await (const chunk of bytes) {
    const utf8 = text.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    // A NUL never occurs in text: counting an image or archive would only add noise.
    if (text.binary) throw new UncountableObjectError('binary', 'contains a NUL byte');
    if (strict && text.invalidSequences > 0) throw invalidEncoding(text);
    if (utf8.length > 0) yield utf8;
  }
  // No NUL can come out of end(): it only flushes a held BOM prefix (EF, EF BB, FE or FF) and
  // a decoder's unfinished sequence, which becomes U+FFFD.
  const last = text.end();
  if (strict && text.invalidSequences > 0) throw invalidEncoding(text);
  if (last.length > 0) yield last;
}

function invalidEncoding(text: SourceText): UncountableObjectError {
  return new UncountableObjectError('invalid-encoding', `byte sequences invalid in ${text.encoding} (--strict-encoding)`);
}

/** At least HEAD_BYTES from the start (fewer only if the object ends first). */
async function readHead(iterator: AsyncIterator<Uint8Array>): Promise<{ head: Uint8Array; whole: boolean }> {
  const pieces: Uint8Array[] = [];
  let length = 0;
  while (length < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(pieces, length), whole: true };
    pieces.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(pieces, length), whole: false };
}

/** The stream again from its start: the head already read, then the rest. */
async function* restartAt(head: Uint8Array, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    // An empty object's head is empty: passed on, it changes nothing.
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
