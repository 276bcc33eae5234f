import { isUtf8 } from 'node:buffer';
import * as zlib from 'node:zlib';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { assertCanDecompress, COMPRESSED_TEXT_EXPANSION, createDecompressor, detectCompression, expectedTextBytes } from './compression';
import { UncountableObjectError } from './uncountable';

/**
 * A brotli stream written by hand (RFC 7932, sections 9.1 and 9.2), so a test chooses every byte
 * of it: the stream header (WBITS 16, one 0 bit), one uncompressed meta-block announcing
 * `declared` bytes (ISLAST 0, MNIBBLES 4, MLEN - 1 in 16 bits, ISUNCOMPRESSED 1, zero padding:
 * three bytes), then `content` as it is. With `complete`, `content` is the whole meta-block and
 * the last, empty meta-block follows (ISLAST 1, ISLASTEMPTY 1: the byte 03). Otherwise it is a
 * head cut inside the meta-block, as the first 16 KiB of a larger object would be.
 */
function handMadeBrotli(content: Buffer, options: { declared?: number; complete: boolean }): Buffer {
  const lengthLess1 = (options.declared ?? content.length) - 1;
  const header = Buffer.from([(lengthLess1 & 0xf) << 4, (lengthLess1 >> 4) & 0xff, 0x10 | (lengthLess1 >> 12)]);
  return Buffer.concat([header, content, Buffer.from(options.complete ? [0x03] : [])]);
}

/** 1,043 bytes announced: the header is 20 41 10, valid UTF-8 without a NUL, so the stream can pass for text. */
const TEXT_LIKE_LENGTH = 0x412 + 1;
const WORDS = Buffer.from('Plain words of a log line, nothing compressed. '.repeat(100));
const trialOf = (bytes: Buffer, finish: boolean) =>
  brotliDecompressSync(bytes, { finishFlush: finish ? constants.BROTLI_OPERATION_FINISH : constants.BROTLI_OPERATION_FLUSH });

describe('detectCompression', () => {
  it('the hand-made streams are brotli that reads as text: the tests below rest on that', () => {
    const head = handMadeBrotli(WORDS.subarray(0, 600), { declared: TEXT_LIKE_LENGTH, complete: false });
    expect(trialOf(head, false).equals(WORDS.subarray(0, 600))).toBe(true);
    expect(isUtf8(head) && !head.includes(0)).toBe(true);
    const whole = handMadeBrotli(WORDS.subarray(0, TEXT_LIKE_LENGTH), { complete: true });
    expect(trialOf(whole, true).equals(WORDS.subarray(0, TEXT_LIKE_LENGTH))).toBe(true);
    expect(isUtf8(whole) && !whole.includes(0)).toBe(true);
  });

  it('takes bytes that read as UTF-8 text for text, though they also decode as brotli, unless the name or Content-Encoding says brotli', () => {
    const head = handMadeBrotli(WORDS.subarray(0, 600), { declared: TEXT_LIKE_LENGTH, complete: false });
    const whole = handMadeBrotli(WORDS.subarray(0, TEXT_LIKE_LENGTH), { complete: true });
    expect(detectCompression(head, false, { name: 'app.log' })).toBeUndefined();
    expect(detectCompression(whole, true, { name: 'app.log' })).toBeUndefined();
    expect(detectCompression(head, false, { name: 'app.log.br' })).toBe('brotli');
    expect(detectCompression(whole, true, { name: 'APP.LOG.BR' })).toBe('brotli');
    expect(detectCompression(whole, true, { name: 'app.log', contentEncoding: 'br' })).toBe('brotli');
    expect(detectCompression(whole, true, { name: 'app.log', contentEncoding: 'gzip, br' })).toBe('brotli');
    expect(detectCompression(whole, true, { name: 'app.log', contentEncoding: 'gzip' })).toBeUndefined();
    // `.br` must end the name, and `br` be a whole token of the Content-Encoding.
    expect(detectCompression(whole, true, { name: 'app.br.log' })).toBeUndefined();
    expect(detectCompression(whole, true, { name: 'app.log', contentEncoding: 'brotli' })).toBeUndefined();
  });

  it.each([
    ['°', 1],
    ['€', 1],
    ['€', 2],
    ['𝐀', 1],
    ['𝐀', 2],
    ['𝐀', 3],
  ])('takes a head that ends inside a character (%s, %i of its bytes) for text: the rest of it is past the head', (character, kept) => {
    const cut = Buffer.from(character).subarray(0, kept);
    const head = handMadeBrotli(Buffer.concat([WORDS.subarray(0, 600), cut]), { declared: TEXT_LIKE_LENGTH, complete: false });
    expect(trialOf(head, false).length).toBe(600 + kept);
    expect(detectCompression(head, false, { name: 'app.log' })).toBeUndefined();
  });

  it.each([
    ['a lone continuation byte after a complete é', Buffer.from([...Buffer.from('café ab'), 0x80])],
    ['C0, which starts no character', Buffer.from([...Buffer.from('café ab'), 0xc0])],
    ['Latin-1 in the middle', Buffer.concat([Buffer.from('caf\xe9 au lait', 'latin1'), WORDS.subarray(0, 20)])],
  ])('does not take a head with invalid UTF-8 that is no character cut short (%s) for text: it is tried as brotli', (_case, tail) => {
    const head = handMadeBrotli(Buffer.concat([WORDS.subarray(0, 600), tail]), { declared: TEXT_LIKE_LENGTH, complete: false });
    expect(detectCompression(head, false, { name: 'app.log' })).toBe('brotli');
  });

  it('does not take a whole object for text when it ends inside a character, or holds invalid UTF-8: it cannot go on', () => {
    const endsInLead = Buffer.concat([WORDS.subarray(0, TEXT_LIKE_LENGTH - 1), Buffer.from([0xc3])]);
    // The stream ends C3 03: a lead byte among its last three bytes.
    expect(detectCompression(handMadeBrotli(endsInLead, { complete: true }), true, { name: 'app.log' })).toBe('brotli');
    const latin1 = Buffer.concat([Buffer.from('caf\xe9 ', 'latin1'), WORDS.subarray(0, TEXT_LIKE_LENGTH - 5)]);
    expect(detectCompression(handMadeBrotli(latin1, { complete: true }), true, { name: 'app.log' })).toBe('brotli');
  });

  it('does not take bytes with a NUL for text, however valid their UTF-8', () => {
    // 4,099 bytes announced: the header is 20 00 11.
    const stream = handMadeBrotli(WORDS.subarray(0, 0x1002 + 1), { complete: true });
    expect(stream.subarray(0, 3)).toEqual(Buffer.from([0x20, 0x00, 0x11]));
    expect(isUtf8(stream)).toBe(true);
    expect(detectCompression(stream, true, { name: 'app.log' })).toBe('brotli');
  });

  it('takes a complete stream that decodes to nothing for brotli only when the object is whole and named so', () => {
    // A metadata meta-block skipping one byte (00 FF: not text), then the last empty meta-block.
    const empty = Buffer.from([0x2c, 0x00, 0xff, 0x03]);
    expect(trialOf(empty, true).length).toBe(0);
    expect(detectCompression(empty, true, { name: 'x.br' })).toBe('brotli');
    expect(detectCompression(empty, true, { name: 'x.txt' })).toBeUndefined();
    expect(detectCompression(empty, false, { name: 'x.br' })).toBeUndefined();
    const oneByte = brotliCompressSync(Buffer.alloc(0));
    expect(detectCompression(oneByte, true, { name: 'x.br.txt' })).toBeUndefined();
    expect(detectCompression(oneByte, true, { name: 'x', contentEncoding: 'br' })).toBe('brotli');
  });

  it('takes a head that expands past the trial bound (4 MiB) for brotli, not for a failed trial', () => {
    const bomb = brotliCompressSync(Buffer.alloc(8 * 1024 * 1024, 'a'));
    expect(isUtf8(bomb)).toBe(false);
    expect(detectCompression(bomb, true, { name: 'x' })).toBe('brotli');
  });

  it('takes nothing for compressed when the object is empty', () => {
    expect(detectCompression(Buffer.alloc(0), true, { name: 'x.br', contentEncoding: 'br' })).toBeUndefined();
    expect(detectCompression(Buffer.alloc(0), true, { name: 'x.gz' })).toBeUndefined();
  });

  it('needs every byte of a magic number, and no more', () => {
    expect(detectCompression(Buffer.from([0x1f, 0x8b, 0x08]), true, { name: 'x' })).toBe('gzip');
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), true, { name: 'x' })).toBe('zstd');
    expect(detectCompression(Buffer.from('(zstd starts with an open parenthesis)'), true, { name: 'x.zst' })).toBeUndefined();
    expect(detectCompression(Buffer.from('\x1f unit separator'), true, { name: 'x.gz' })).toBeUndefined();
    expect(detectCompression(Buffer.from([0x1f, 0x8b]), true, { name: 'x.gz' })).toBeUndefined();
  });
});

describe('expectedTextBytes', () => {
  it.each([
    ['logs/app.log.gz', 4000],
    ['logs/app.log.GZ', 4000],
    ['a.gzip', 4000],
    ['a.tgz', 4000],
    ['a.zst', 4000],
    ['a.zstd', 4000],
    ['a.br', 4000],
    ['a.gz.txt', 1000],
    ['a.txt', 1000],
    ['gz', 1000],
  ])('expects %s to give %i bytes of text from 1000 stored', (name, expected) => {
    expect(expectedTextBytes(name, 1000)).toBe(expected);
  });

  it('is 4 times for compressed names', () => {
    expect(COMPRESSED_TEXT_EXPANSION).toBe(4);
  });
});

describe('assertCanDecompress', () => {
  const hasZstd = typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';

  it('accepts gzip and brotli, which every supported Node.js decompresses', () => {
    expect(() => assertCanDecompress('gzip')).not.toThrow();
    expect(() => assertCanDecompress('brotli')).not.toThrow();
  });

  it('refuses zstd exactly where the runtime lacks it, with the reason and the version', () => {
    if (hasZstd) {
      expect(() => assertCanDecompress('zstd')).not.toThrow();
      expect(typeof createDecompressor('zstd').write).toBe('function');
      return;
    }
    for (const attempt of [() => assertCanDecompress('zstd'), () => createDecompressor('zstd')]) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UncountableObjectError);
      expect((thrown as UncountableObjectError).reason).toBe('compressed-unsupported');
      expect((thrown as UncountableObjectError).detail).toBe(`zstd not supported by this runtime (Node.js ${process.versions.node}; needs 22.15 or later)`);
    }
  });
});
