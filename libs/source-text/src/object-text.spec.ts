import { brotliCompressSync, gzipSync } from 'node:zlib';
import { detectCompression } from './compression';
import { openObjectText, type ObjectTextOptions } from './object-text';
import { UncountableObjectError } from './uncountable';

const TEXT = 'The quick brown fox jumps over the lazy dog; café, naïve, 𝐀.\n'.repeat(400);
const LIMITS = { maxRatio: 1000, maxBytes: 1024 ** 3 };

function options(overrides: Partial<ObjectTextOptions> = {}): ObjectTextOptions {
  return { hints: { name: 'doc.txt' }, storedBytes: 0, encoding: 'utf-8', strictEncoding: false, limits: LIMITS, ...overrides };
}

/** The stored bytes in pieces of `size`, as a network body arrives. */
async function* pieces(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function readAll(stored: Uint8Array, overrides: Partial<ObjectTextOptions> = {}, size?: number) {
  const text = await openObjectText(pieces(stored, size), options({ storedBytes: stored.length, ...overrides }));
  const out: Uint8Array[] = [];
  for await (const chunk of text.utf8) out.push(chunk);
  return { format: text.format, text: Buffer.concat(out).toString('utf8'), invalidSequences: text.invalidSequences };
}

async function skipOf(stored: Uint8Array, overrides: Partial<ObjectTextOptions> = {}): Promise<UncountableObjectError> {
  try {
    await readAll(stored, overrides);
  } catch (error) {
    if (error instanceof UncountableObjectError) return error;
    throw error;
  }
  throw new Error('expected the object to be skipped');
}

const plain = Buffer.from(TEXT);
const gzip = gzipSync(plain);
const brotli = brotliCompressSync(plain);

describe('openObjectText', () => {
  it.each([
    ['plain text', plain, undefined, 'doc.txt'],
    ['gzip', gzip, 'gzip', 'doc.txt.gz'],
    ['gzip named as text', gzip, 'gzip', 'doc.txt'],
    ['gzip of several members', Buffer.concat([gzipSync(plain.subarray(0, 7001)), gzipSync(plain.subarray(7001))]), 'gzip', 'doc.gz'],
    ['brotli named .br', brotli, 'brotli', 'doc.txt.br'],
    ['brotli with no name to go by', brotli, 'brotli', 'doc.txt'],
    ['plain text named .gz', plain, undefined, 'doc.txt.gz'],
    ['plain text named .br', plain, undefined, 'doc.txt.br'],
  ])('reads %s as its text', async (_case, stored, format, name) => {
    const result = await readAll(stored, { hints: { name } });
    expect(result.format).toBe(format);
    expect(result.text).toBe(TEXT);
    expect(result.invalidSequences).toBe(0);
  });

  it('reads brotli announced only by its Content-Encoding, in tiny pieces', async () => {
    const result = await readAll(brotli, { hints: { name: 'doc', contentEncoding: 'br' } }, 7);
    expect(result).toEqual({ format: 'brotli', text: TEXT, invalidSequences: 0 });
  });

  it('decodes a named encoding inside a compressed object, and counts invalid UTF-8', async () => {
    const latin1 = Buffer.from('café naïve\n', 'latin1');
    expect((await readAll(gzipSync(latin1), { encoding: 'windows-1252' })).text).toBe('café naïve\n');
    expect(await readAll(gzipSync(latin1))).toMatchObject({ format: 'gzip', invalidSequences: 2 });
  });

  it.each([
    ['truncated gzip', gzip.subarray(0, gzip.length - 20), /gzip: unexpected end of file/],
    ['gzip with a bad checksum', Buffer.concat([gzip.subarray(0, gzip.length - 8), Buffer.from([1, 2, 3, 4]), gzip.subarray(gzip.length - 4)]), /gzip: incorrect data check/],
    ['corrupt gzip', Buffer.concat([gzip.subarray(0, 30), Buffer.alloc(200, 0xff), gzip.subarray(230)]), /gzip: /],
    ['truncated brotli', brotli.subarray(0, brotli.length - 10), /brotli: /],
  ])('skips %s as corrupt-compressed', async (_case, stored, detail) => {
    const error = await skipOf(stored, { hints: { name: 'doc.txt.br' } });
    expect(error.reason).toBe('corrupt-compressed');
    expect(error.detail).toMatch(detail);
  });

  it('skips a bomb by its ratio, and by its total bytes', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a '));
    const byRatio = await skipOf(bomb, { limits: { maxRatio: 100, maxBytes: 1024 ** 3 } });
    expect(byRatio.reason).toBe('too-large-after-expansion');
    expect(byRatio.detail).toContain(`expands past ${100 * bomb.length} bytes`);
    const byBytes = await skipOf(bomb, { limits: { maxRatio: 1e6, maxBytes: 1024 * 1024 } });
    expect(byBytes.detail).toContain('expands past 1048576 bytes');
    // Within both limits it is counted.
    expect((await readAll(bomb, { limits: { maxRatio: 2000, maxBytes: 1024 ** 3 } })).text.length).toBe(8 * 1024 * 1024);
  });

  it('skips zstd with its reason where the runtime has no zstd, and reads it where it has', async () => {
    // A zstd frame of "hello\n" with its content checksum, as Node 22's zlib.zstdCompressSync writes it.
    const frame = Buffer.from('KLUv/SQGMQAAaGVsbG8KU4i9kQ==', 'base64');
    const hasZstd = typeof (await import('node:zlib') as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';
    if (hasZstd) {
      expect(await readAll(frame)).toEqual({ format: 'zstd', text: 'hello\n', invalidSequences: 0 });
    } else {
      const error = await skipOf(frame);
      expect(error.reason).toBe('compressed-unsupported');
      expect(error.detail).toMatch(/^zstd not supported by this runtime \(Node\.js \d+/);
    }
  });

  it('skips binary content, compressed or not, as binary', async () => {
    expect((await skipOf(Buffer.from('PNG\0\0\0'))).reason).toBe('binary');
    expect((await skipOf(gzipSync(Buffer.from('a\0b')))).reason).toBe('binary');
  });

  it('with strict encoding, skips text with invalid sequences', async () => {
    const error = await skipOf(Buffer.from('caf\xe9', 'latin1'), { strictEncoding: true });
    expect(error.reason).toBe('invalid-encoding');
    expect(error.detail).toContain('utf-8');
  });

  it('rethrows what the stored stream throws (a cut connection), never as a skip', async () => {
    async function* cut(): AsyncGenerator<Uint8Array> {
      yield gzip.subarray(0, 100);
      throw new Error('socket hang up');
    }
    const big = gzipSync(Buffer.from(Array.from({ length: 20_000 }, (_, index) => `w${index}`).join(' ')));
    expect(big.length).toBeGreaterThan(20_000);
    async function* cutLater(): AsyncGenerator<Uint8Array> {
      yield* pieces(big.subarray(0, 20_000));
      throw new Error('socket hang up');
    }
    await expect(readAll(gzip.subarray(0, 100))).rejects.toThrow(UncountableObjectError);
    // Cut while the head is read, and cut mid-stream after it.
    await expect(openObjectText(cut(), options({ storedBytes: gzip.length }))).rejects.toThrow('socket hang up');
    const text = await openObjectText(cutLater(), options({ storedBytes: big.length }));
    await expect(async () => {
      for await (const chunk of text.utf8) void chunk;
    }).rejects.toThrow('socket hang up');
  });
});

describe('detectCompression', () => {
  it('tells gzip and zstd by their magic numbers, whatever the name', () => {
    expect(detectCompression(gzip, true, { name: 'x.txt' })).toBe('gzip');
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0]), false, { name: 'x.gz' })).toBe('zstd');
  });

  it('does not take random bytes for brotli', () => {
    let brotliCount = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = Buffer.alloc(16 * 1024);
      let state = seed;
      for (let index = 0; index < bytes.length; index++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        bytes[index] = state >>> 24;
      }
      if (detectCompression(bytes, false, { name: 'x.bin' }) === 'brotli') brotliCount++;
    }
    expect(brotliCount).toBe(0);
  });

  it('does not take a short Latin-1 text for the start of a brotli stream', () => {
    const latin1 = Buffer.from('Grüße aus Köln, ¿qué tal? Déjà vu, façade.\r\nA second line, and a third word.\n', 'latin1');
    expect(detectCompression(latin1, true, { name: 't0.txt' })).toBeUndefined();
  });

  it('takes an empty brotli stream for brotli only when the name says so', () => {
    const empty = brotliCompressSync(Buffer.alloc(0));
    expect(detectCompression(empty, true, { name: 'x.br' })).toBe('brotli');
    expect(detectCompression(empty, true, { name: 'x.txt' })).toBeUndefined();
  });
});
