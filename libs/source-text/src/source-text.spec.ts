import fc from 'fast-check';
import { SourceText } from './source-text';

function encodeUtf16(text: string, order: 'le' | 'be'): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  return order === 'le' ? bytes : bytes.swap16();
}

const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);
const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** Feeds `bytes` in pieces of the given sizes (cycled) and returns what would be counted. */
function through(bytes: Buffer, sizes: number[] = [bytes.length || 1], encoding?: string): { text: Buffer; source: SourceText } {
  const source = new SourceText(encoding);
  const out: Buffer[] = [];
  for (let start = 0, turn = 0; start < bytes.length; turn++) {
    const size = sizes[turn % sizes.length];
    out.push(source.write(bytes.subarray(start, start + size)));
    start += size;
  }
  out.push(source.end());
  return { text: Buffer.concat(out), source };
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });
/** Any code points but NUL, including unpaired surrogates. */
const anyText = fc.string({ unit: 'binary', maxLength: 80 }).map((text) => text.replaceAll('\u0000', ''));

describe('SourceText', () => {
  it.each([
    ['plain UTF-8', Buffer.from('héllo wörld'), 'héllo wörld', 'utf-8'],
    ['UTF-8 with a BOM', Buffer.concat([BOM_UTF8, Buffer.from('héllo')]), 'héllo', 'utf-8'],
    ['UTF-16LE with a BOM', Buffer.concat([BOM_LE, encodeUtf16('héllo 𝐀', 'le')]), 'héllo 𝐀', 'utf-16le'],
    ['UTF-16BE with a BOM', Buffer.concat([BOM_BE, encodeUtf16('héllo 𝐀', 'be')]), 'héllo 𝐀', 'utf-16be'],
    ['an empty object', Buffer.alloc(0), '', 'utf-8'],
    ['only a UTF-8 BOM', BOM_UTF8, '', 'utf-8'],
    ['only a UTF-16 BOM', BOM_LE, '', 'utf-16le'],
    ['a lone 0xEF (not a BOM after all)', Buffer.from([0xef]), '\ufffd', 'utf-8'],
    ['0xEF 0xBB then text', Buffer.from([0xef, 0xbb, 0x61]), '\ufffda', 'utf-8'],
    ['a dangling odd byte of UTF-16', Buffer.concat([BOM_LE, Buffer.from([0x61, 0x00, 0x62])]), 'a\ufffd', 'utf-16le'],
    ['an unpaired surrogate in UTF-16', Buffer.concat([BOM_LE, Buffer.from([0x3d, 0xd8, 0x61, 0x00])]), '\ufffda', 'utf-16le'],
    ['a second BOM, which is text', Buffer.concat([BOM_LE, encodeUtf16('a\ufeffb', 'le')]), 'a\ufeffb', 'utf-16le'],
  ])('reads %s', (_case, bytes, expected, encoding) => {
    for (const sizes of [[bytes.length || 1], [1], [2, 1], [3]]) {
      const { text, source } = through(bytes, sizes);
      expect(text.toString('utf8')).toBe(expected);
      expect(source.encoding).toBe(encoding);
      expect(source.binary).toBe(false);
    }
  });

  it.each([
    ['a NUL byte in UTF-8', Buffer.from('ab\u0000cd')],
    ['UTF-16LE without a BOM', encodeUtf16('hello', 'le')],
    ['UTF-16BE without a BOM', encodeUtf16('hello', 'be')],
    ['UTF-32LE with its BOM', Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00])],
    ['a U+0000 character in UTF-16', Buffer.concat([BOM_BE, encodeUtf16('a\u0000b', 'be')])],
  ])('calls %s binary', (_case, bytes) => {
    expect(through(bytes, [1]).source.binary).toBe(true);
    expect(through(bytes).source.binary).toBe(true);
  });

  it('gives the well-formed UTF-8 of any text in UTF-16 (either order) or UTF-8 with a BOM, whatever the chunking', () => {
    fc.assert(
      fc.property(anyText, chunkSizes, fc.constantFrom('le', 'be', 'utf8') as fc.Arbitrary<'le' | 'be' | 'utf8'>, (text, sizes, form) => {
        const bytes =
          form === 'utf8'
            ? Buffer.concat([BOM_UTF8, Buffer.from(text, 'utf8')])
            : Buffer.concat([form === 'le' ? BOM_LE : BOM_BE, encodeUtf16(text, form)]);
        const { text: out, source } = through(bytes, sizes);
        expect(source.binary).toBe(false);
        // Buffer.from replaces unpaired surrogates with U+FFFD, as the decoder does.
        expect(out.equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('passes any bytes without a BOM through unchanged, and calls them binary exactly when they hold a NUL', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), chunkSizes, (array, sizes) => {
        const bytes = Buffer.from(array);
        fc.pre(!(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff));
        fc.pre(!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf));
        const { text, source } = through(bytes, sizes);
        expect(source.binary).toBe(bytes.includes(0));
        if (!source.binary) expect(text.equals(bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    // Bytes as windows-1252, ISO-8859-2 and Shift_JIS store them (from their published code tables).
    ['windows-1252', [0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x71, 0x94, 0x20, 0x80], 'café “q” €'],
    ['iso-8859-2', [0x50, 0xf8, 0xed, 0x6c, 0x69, 0xb9, 0x20, 0xbe, 0x6c, 0x75, 0xbb], 'Příliš žluť'],
    ['shift_jis', [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x20, 0xb6, 0xc0, 0xb6, 0xc5], '日本語 ｶﾀｶﾅ'],
  ])('decodes %s, a character cut by any chunk boundary included', (encoding, byteValues, expected) => {
    for (const size of [1, 2, 3, byteValues.length]) {
      const { text, source } = through(Buffer.from(byteValues), [size], encoding);
      expect(text.toString('utf8')).toBe(expected);
      expect(source.encoding).toBe(encoding);
      expect(source.invalidSequences).toBe(0);
    }
  });

  it('lets a byte order mark override the planned encoding, as the WHATWG decode algorithm does', () => {
    const { text, source } = through(Buffer.concat([BOM_UTF8, Buffer.from('café')]), [2], 'windows-1252');
    expect(text.toString('utf8')).toBe('café');
    expect(source.encoding).toBe('utf-8');
  });

  it('counts invalid sequences: in UTF-8 as the decoder would replace them, in other encodings each U+FFFD made', () => {
    expect(through(Buffer.from([0x61, 0xe9, 0x62, 0xe2, 0x82]), [1]).source.invalidSequences).toBe(2);
    // 0x82 0x20: a Shift_JIS lead byte followed by a space, which cannot trail it.
    expect(through(Buffer.from([0x61, 0x82, 0x20, 0x62]), [1], 'shift_jis').source.invalidSequences).toBe(1);
    expect(through(Buffer.from('ok'), [1], 'shift_jis').source.invalidSequences).toBe(0);
  });

  it.each([
    ['one byte that starts no BOM', [0x61], 'utf-8', 'a'],
    ['FF then not FE', [0xff, 0x61], 'windows-1252', 'ÿa'],
    ['FE then not FF', [0xfe, 0x61], 'windows-1252', 'þa'],
    ['FF second, after no FE', [0x61, 0xff], 'windows-1252', 'aÿ'],
    ['FE then more', [0xfe, 0x61, 0x62], 'windows-1252', 'þab'],
    ['EF then not BB', [0xef, 0x61], 'windows-1252', 'ïa'],
    ['BB second, after no EF', [0x61, 0xbb], 'windows-1252', 'a»'],
    ['BB second, then more', [0x61, 0xbb, 0x62], 'windows-1252', 'a»b'],
    ['EF BB then not BF', [0xef, 0xbb, 0x61], 'windows-1252', 'ï»a'],
  ])('gives out the first chunk at once when it cannot start a BOM (%s), read in the planned encoding', (_case, bytes, encoding, expected) => {
    const source = new SourceText(encoding);
    expect(source.write(Buffer.from(bytes)).toString('utf8')).toBe(expected);
    expect(source.encoding).toBe(encoding);
    expect(source.end().length).toBe(0);
  });

  it('holds back only what may still be a BOM, and decides on the byte that settles it', () => {
    const utf8 = new SourceText('windows-1252');
    expect(utf8.write(Buffer.from([0xef])).length).toBe(0);
    expect(utf8.write(Buffer.from([0xbb])).length).toBe(0);
    expect(utf8.write(Buffer.from([0xbf, 0x61])).toString('utf8')).toBe('a');
    expect(utf8.encoding).toBe('utf-8');
    const utf16 = new SourceText();
    expect(utf16.write(Buffer.from([0xfe])).length).toBe(0);
    expect(utf16.write(Buffer.from([0xff, 0x00])).length).toBe(0);
    expect(utf16.write(Buffer.from([0x61])).toString('utf8')).toBe('a');
    expect(utf16.encoding).toBe('utf-16be');
  });

  it('still finds the BOM after an empty first chunk (a body that starts with an empty read)', () => {
    const source = new SourceText();
    expect(source.write(Buffer.alloc(0)).length).toBe(0);
    expect(source.write(Buffer.concat([BOM_LE, encodeUtf16('hi', 'le')])).toString('utf8')).toBe('hi');
    expect(source.encoding).toBe('utf-16le');
  });

  it('reads a second BOM right after the first as a character of the text (U+FEFF), not as another BOM', () => {
    for (const [bom, order] of [[BOM_LE, 'le'], [BOM_BE, 'be']] as const) {
      const { text } = through(Buffer.concat([bom, encodeUtf16('\ufeffa', order)]));
      expect(text.toString('utf8')).toBe('\ufeffa');
    }
  });
});
