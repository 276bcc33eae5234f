import { isUtf8 } from 'node:buffer';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { UncountableObjectError } from './uncountable';

export type CompressionFormat = 'gzip' | 'zstd' | 'brotli';

/** Bytes to look at before choosing: enough for a brotli trial to fail on anything but brotli. */
export const HEAD_BYTES = 16 * 1024;

/** What the object says of itself besides its bytes. */
export interface CompressionHints {
  readonly name: string;
  /** The GET response's Content-Encoding, if any. */
  readonly contentEncoding?: string;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/**
 * The compression of an object, from its first bytes (`head`: HEAD_BYTES, or the whole object
 * when `whole`), so a mislabelled object is read as what it is:
 *
 * - gzip and zstd by their magic numbers (1F 8B 08, 28 B5 2F FD), whatever the name says;
 * - brotli has no magic number. It is tried when the name ends in `.br`, the Content-Encoding
 *   says `br`, or the head is not text (a NUL byte or invalid UTF-8), and it is brotli only if
 *   the head decodes as brotli to something non-empty without a NUL byte (or is a complete
 *   empty brotli stream, when named so). Text fails such a trial within a few bytes, and so does
 *   random data (0 of 3,000 random 16 KiB heads passed when this was measured); a brotli'd
 *   binary file fails it too, and is then skipped as binary, which it is.
 */
export function detectCompression(head: Uint8Array, whole: boolean, hints: CompressionHints): CompressionFormat | undefined {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  const hinted = /\.br$/i.test(hints.name) || /\bbr\b/i.test(hints.contentEncoding ?? '');
  if (!hinted && looksLikeText(head, whole)) return undefined;
  return decodesAsBrotli(head, whole, hinted) ? 'brotli' : undefined;
}

/** Throws UncountableObjectError 'compressed-unsupported' unless this runtime decompresses `format` (zstd arrived in Node.js 22.15). */
export function assertCanDecompress(format: CompressionFormat): void {
  if (format === 'zstd' && zstdFactory() === undefined) {
    throw new UncountableObjectError('compressed-unsupported', `zstd not supported by this runtime (Node.js ${process.versions.node}; needs 22.15 or later)`);
  }
}

/** A streaming decompressor for `format`; throws UncountableObjectError when the runtime lacks it. */
export function createDecompressor(format: CompressionFormat): Transform {
  switch (format) {
    case 'gzip':
      // Gunzip reads concatenated members (log shippers append them) as one stream.
      return zlib.createGunzip();
    case 'brotli':
      return zlib.createBrotliDecompress();
    case 'zstd': {
      assertCanDecompress(format);
      return (zstdFactory() as () => Transform)();
    }
  }
}

function zstdFactory(): (() => Transform) | undefined {
  // Not in the type definitions of the Node.js version this workspace targets (20).
  return (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

/** No NUL and valid UTF-8, allowing a sequence cut at the end of a partial head (a lead byte, C2 to FF, in its last three bytes). */
function looksLikeText(head: Uint8Array, whole: boolean): boolean {
  if (head.indexOf(0) !== -1) return false;
  if (isUtf8(head)) return true;
  if (whole) return false;
  for (let cut = head.length - 1; cut >= Math.max(0, head.length - 3); cut--) {
    if (head[cut] >= 0xc2) return isUtf8(head.subarray(0, cut));
  }
  return false;
}

/** Bounds the trial's output: a head that keeps expanding past this is brotli (perhaps a bomb). */
const TRIAL_OUTPUT_BYTES = 4 * 1024 * 1024;

function decodesAsBrotli(head: Uint8Array, whole: boolean, hinted: boolean): boolean {
  // An empty brotli stream is one byte, which no prefix test can tell from text.
  if (whole && hinted && brotliTrial(head, zlib.constants.BROTLI_OPERATION_FINISH)?.length === 0) return true;
  // Flushing rather than finishing: a head ends mid-stream, and so does a truncated object
  // named as brotli, which is then skipped as corrupt rather than counted as garbage. A whole
  // object with no such name must be a complete stream: a short run of legacy-encoded text
  // can pass for the start of one.
  const finish = whole && !hinted;
  const out = brotliTrial(head, finish ? zlib.constants.BROTLI_OPERATION_FINISH : zlib.constants.BROTLI_OPERATION_FLUSH);
  return out !== undefined && out.length > 0 && out.indexOf(0) === -1;
}

/** What `head` decodes to as brotli (at most TRIAL_OUTPUT_BYTES), or undefined if it is not brotli. */
function brotliTrial(head: Uint8Array, finishFlush: number): Buffer | undefined {
  try {
    return zlib.brotliDecompressSync(head, { finishFlush, maxOutputLength: TRIAL_OUTPUT_BYTES });
  } catch (error) {
    // Still expanding past the bound: brotli, and perhaps a bomb (the limits will tell).
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? Buffer.from(' ') : undefined;
  }
}

/**
 * How many times its stored size a compressed object is expected to expand to: text and logs
 * shrink 3-10x under gzip, more under zstd and brotli; 4 is on the safe side. The planner
 * weighs such objects by it (it has only names, no bytes, to go by), and migrate spreads its
 * counting threads by it.
 */
export const COMPRESSED_TEXT_EXPANSION = 4;

const COMPRESSED_NAME = /\.(gz|gzip|tgz|zst|zstd|br)$/i;

/** The bytes of text an object is expected to count: its size, times the expansion when its name says compressed. */
export function expectedTextBytes(name: string, storedBytes: number): number {
  return COMPRESSED_NAME.test(name) ? storedBytes * COMPRESSED_TEXT_EXPANSION : storedBytes;
}
