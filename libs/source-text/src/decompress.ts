import { pipeline, Readable } from 'node:stream';
import { createDecompressor, type CompressionFormat } from './compression';
import { UncountableObjectError } from './uncountable';

/** How far one compressed object may expand before it is skipped as a bomb. */
export interface ExpansionLimits {
  /** Bytes out per stored byte (applied to the object's stored size, so the cut-off is known up front). */
  readonly maxRatio: number;
  /** Bytes out in all. */
  readonly maxBytes: number;
}

/**
 * The decompressed bytes of `stored`, streamed: one chunk of input is inflated at a time,
 * so memory stays bounded however far it expands, and the expansion limits bound the time.
 *
 * Whatever the decompressor rejects (bad header, bad checksum, a stream that ends early) is
 * the object's fault: UncountableObjectError 'corrupt-compressed'. Whatever `stored` throws
 * (a connection cut mid-body, a size that differs from the plan) is not, and is rethrown as
 * it is, so the caller can read the object again or fail as it would for plain text.
 */
export async function* decompress(
  stored: AsyncIterable<Uint8Array>,
  format: CompressionFormat,
  storedBytes: number,
  limits: ExpansionLimits,
): AsyncGenerator<Buffer> {
  const maxOut = Math.min(limits.maxBytes, Math.floor(limits.maxRatio * storedBytes));
  const decompressor = createDecompressor(format);
  let sourceError: unknown;
  async function* watched(): AsyncGenerator<Uint8Array> {
    try {
      yield* stored;
    } catch (error) {
      sourceError = error;
      throw error;
    }
  }
  pipeline(Readable.from(watched()), decompressor, () => {
    // Errors surface through the iteration below.
  });
  let out = 0;
  // However the loop is left (a skip, an error, the caller stopping early), `for await` destroys
  // the decompressor, and the pipeline then closes the stored body.
  try {
    for await (const chunk of decompressor as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > maxOut) {
        throw new UncountableObjectError(
          'too-large-after-expansion',
          `${format} expands past ${maxOut} bytes from ${storedBytes} stored (limits: ${limits.maxRatio}x its size, ${limits.maxBytes} bytes)`,
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (sourceError !== undefined || error instanceof UncountableObjectError) throw sourceError ?? error;
    throw new UncountableObjectError('corrupt-compressed', `${format}: ${(error as Error).message}`);
  }
}
