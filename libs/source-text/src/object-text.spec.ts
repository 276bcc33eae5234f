import * as zlib from 'node:zlib';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { detectCompression, HEAD_BYTES } from './compression';
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

/** A body of `pieces`, noting how many were read and whether the reader closed it; reading past them fails unless `ends`. */
function strictBody(pieces: Buffer[], ends = false): { chunks: AsyncGenerator<Uint8Array>; read: () => number; closed: () => boolean } {
  let read = 0;
  let closed = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (const piece of pieces) {
        read++;
        yield piece;
      }
      if (!ends) throw new Error('read past the pieces the test allows');
    } finally {
      closed = true;
    }
  }
  return { chunks: chunks(), read: () => read, closed: () => closed };
}

async function drain(text: { utf8: AsyncIterable<Uint8Array> }): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of text.utf8) out.push(Buffer.from(chunk));
  return out;
}

const LINES = Buffer.from('a line of plain text\n'.repeat(HEAD_BYTES / 16));

describe('openObjectText, chunk by chunk', () => {
  it.each([
    ['a NUL byte', Buffer.from('PNG\0\0\0'), {}, 'binary', 'contains a NUL byte'],
    ['invalid UTF-8 with strict encoding', Buffer.from('caf\xe9 au lait', 'latin1'), { strictEncoding: true }, 'invalid-encoding', 'byte sequences invalid in utf-8 (--strict-encoding)'],
  ])('skips at the chunk with %s, without reading the rest of the body, and closes it', async (_case, bad, overrides, reason, detail) => {
    // The head (16 KiB) is read first; the body would fail if read past the bad chunk.
    const body = strictBody([LINES.subarray(0, HEAD_BYTES), bad]);
    const text = await openObjectText(body.chunks, options({ storedBytes: HEAD_BYTES + bad.length, ...overrides }));
    let skipped: unknown;
    try {
      await drain(text);
    } catch (error) {
      skipped = error;
    }
    expect(skipped).toBeInstanceOf(UncountableObjectError);
    expect((skipped as UncountableObjectError).reason).toBe(reason);
    expect((skipped as UncountableObjectError).detail).toBe(detail);
    expect(body.read()).toBe(2);
    expect(body.closed()).toBe(true);
  });

  it('with strict encoding, reads valid text of many chunks to its end', async () => {
    const stored = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), LINES, Buffer.from('é€𝐀\n')]);
    const result = await readAll(stored, { strictEncoding: true }, 100);
    expect(result.text).toBe(`${LINES.toString('utf8')}é€𝐀\n`);
    expect(result.invalidSequences).toBe(0);
  });

  it('with strict encoding, skips text whose last character is cut short, naming the encoding it was read in', async () => {
    expect((await skipOf(Buffer.from([0x61, 0xe2, 0x82]), { strictEncoding: true })).detail).toBe('byte sequences invalid in utf-8 (--strict-encoding)');
    expect((await skipOf(Buffer.from([0x61, 0x82]), { strictEncoding: true, encoding: 'shift_jis' })).detail).toBe('byte sequences invalid in shift_jis (--strict-encoding)');
  });

  it('never gives an empty chunk: not for an empty read, nor for half a UTF-16 character', async () => {
    const words = 'UTF-16 words, read a byte at a time. '.repeat(250);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(words, 'utf16le')]);
    expect(utf16.length).toBeGreaterThan(HEAD_BYTES);
    async function* withEmptyReads(): AsyncGenerator<Uint8Array> {
      for await (const piece of pieces(utf16, 1)) {
        yield piece;
        yield Buffer.alloc(0);
      }
    }
    const chunks = await drain(await openObjectText(withEmptyReads(), options({ storedBytes: utf16.length })));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(words);
    expect(chunks.every((chunk) => chunk.length > 0)).toBe(true);
  });

  it('gives the bytes held at the end: an object that is only what could start a BOM', async () => {
    expect(await readAll(Buffer.from([0xff]), { encoding: 'windows-1252' })).toEqual({ format: undefined, text: 'ÿ', invalidSequences: 0 });
    expect(await readAll(Buffer.from([0xef, 0xbb]))).toEqual({ format: undefined, text: '\ufffd', invalidSequences: 1 });
  });

  it('reads exactly the head, 16 KiB, before telling what the object is', async () => {
    const body = strictBody([LINES.subarray(0, HEAD_BYTES)]);
    const text = await openObjectText(body.chunks, options({ storedBytes: HEAD_BYTES * 2 }));
    expect(text.format).toBeUndefined();
    expect(body.read()).toBe(1);
  });

  it('closes the body when the caller stops reading early', async () => {
    const body = strictBody([LINES.subarray(0, HEAD_BYTES), LINES.subarray(HEAD_BYTES)]);
    const text = await openObjectText(body.chunks, options({ storedBytes: LINES.length }));
    for await (const chunk of text.utf8) {
      expect(chunk.length).toBe(HEAD_BYTES);
      break;
    }
    expect(body.closed()).toBe(true);
  });

  it('reads an empty object as empty text, whatever its name', async () => {
    for (const name of ['empty.txt', 'empty.gz', 'empty.br']) {
      expect(await readAll(Buffer.alloc(0), { hints: { name } })).toEqual({ format: undefined, text: '', invalidSequences: 0 });
    }
  });

  it('reads a short object as a whole: Latin-1 text is not taken for the start of a brotli stream', async () => {
    const latin1 = 'Grüße aus Köln, ¿qué tal? Déjà vu, façade.\r\nA second line, and a third word.\n';
    expect(await readAll(Buffer.from(latin1, 'latin1'), { encoding: 'windows-1252' })).toEqual({ format: undefined, text: latin1, invalidSequences: 0 });
  });

  it('reads brotli of more than 16 KiB with no name to go by: its head is not a whole stream', async () => {
    let state = 7;
    const words = Array.from({ length: 12_000 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state.toString(36);
    }).join(' ');
    const stored = brotliCompressSync(Buffer.from(words));
    expect(stored.length).toBeGreaterThan(HEAD_BYTES * 2);
    expect(await readAll(stored, { hints: { name: 'words' } })).toEqual({ format: 'brotli', text: words, invalidSequences: 0 });
  });

  it('skips a brotli bomb with no name to go by as too large', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(64 * 1024 * 1024, 'a'));
    const error = await skipOf(bomb, { hints: { name: 'innocent' }, limits: { maxRatio: 1e9, maxBytes: 16 * 1024 * 1024 } });
    expect(error.reason).toBe('too-large-after-expansion');
    expect(error.detail).toBe(`brotli expands past 16777216 bytes from ${bomb.length} stored (limits: 1000000000x its size, 16777216 bytes)`);
  });

  it('refuses zstd before giving any text where the runtime lacks it, and closes the body', async () => {
    const frame = Buffer.from('KLUv/SQGMQAAaGVsbG8KU4i9kQ==', 'base64');
    // More than the head: the body is still open when the zstd is refused.
    const body = strictBody([frame, Buffer.alloc(HEAD_BYTES, 0x61)]);
    const hasZstd = typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';
    const opening = openObjectText(body.chunks, options({ storedBytes: frame.length }));
    if (hasZstd) {
      expect((await opening).format).toBe('zstd');
      return;
    }
    await expect(opening).rejects.toMatchObject({ reason: 'compressed-unsupported' });
    expect(body.closed()).toBe(true);
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
