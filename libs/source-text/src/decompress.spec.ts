import { setImmediate } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { decompress, type ExpansionLimits } from './decompress';
import { UncountableObjectError } from './uncountable';

const TEXT = Buffer.from(Array.from({ length: 5000 }, (_, index) => `word${index}`).join(' '));
const GZIP = gzipSync(TEXT);

/** `bytes` in pieces of 1,000, noting whether the reader closed it (its `finally` ran). */
function body(bytes: Buffer, after?: Error): { chunks: AsyncGenerator<Uint8Array>; closed: () => boolean } {
  let closed = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (let start = 0; start < bytes.length; start += 1000) yield bytes.subarray(start, start + 1000);
      if (after) throw after;
    } finally {
      closed = true;
    }
  }
  return { chunks: chunks(), closed: () => closed };
}

async function inflate(stored: AsyncIterable<Uint8Array>, limits: ExpansionLimits): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of decompress(stored, 'gzip', GZIP.length, limits)) out.push(chunk);
  return Buffer.concat(out);
}

async function failure(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('decompress', () => {
  it('gives exactly the limit in bytes, and skips one byte more with both limits named', async () => {
    expect((await inflate(body(GZIP).chunks, { maxRatio: 1e6, maxBytes: TEXT.length })).equals(TEXT)).toBe(true);
    const source = body(GZIP);
    const error = await failure(inflate(source.chunks, { maxRatio: 1e6, maxBytes: TEXT.length - 1 }));
    expect(error).toBeInstanceOf(UncountableObjectError);
    expect((error as UncountableObjectError).reason).toBe('too-large-after-expansion');
    expect((error as UncountableObjectError).detail).toBe(`gzip expands past ${TEXT.length - 1} bytes from ${GZIP.length} stored (limits: 1000000x its size, ${TEXT.length - 1} bytes)`);
    // It stops reading the stored body, and closes it.
    await setImmediate();
    expect(source.closed()).toBe(true);
  });

  it('applies the ratio to the stored size, rounding down', async () => {
    const ratio = (TEXT.length - 0.5) / GZIP.length;
    const error = await failure(inflate(body(GZIP).chunks, { maxRatio: ratio, maxBytes: 1e9 }));
    expect((error as UncountableObjectError).detail).toBe(`gzip expands past ${TEXT.length - 1} bytes from ${GZIP.length} stored (limits: ${ratio}x its size, 1000000000 bytes)`);
  });

  it('closes the stored body when the caller stops reading early', async () => {
    const source = body(GZIP);
    for await (const chunk of decompress(source.chunks, 'gzip', GZIP.length, { maxRatio: 1e6, maxBytes: 1e9 })) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await setImmediate();
    expect(source.closed()).toBe(true);
  });

  it('rethrows what the stored body throws as it is, not as a skip', async () => {
    const cut = new Error('socket hang up');
    expect(await failure(inflate(body(GZIP.subarray(0, 3000), cut).chunks, { maxRatio: 1e6, maxBytes: 1e9 }))).toBe(cut);
  });

  it('skips what the decompressor refuses as corrupt-compressed, naming the format and zlib\'s message', async () => {
    const error = await failure(inflate(body(GZIP.subarray(0, GZIP.length - 4)).chunks, { maxRatio: 1e6, maxBytes: 1e9 }));
    expect(error).toBeInstanceOf(UncountableObjectError);
    expect((error as UncountableObjectError).reason).toBe('corrupt-compressed');
    expect((error as UncountableObjectError).detail).toBe('gzip: unexpected end of file');
  });
});
