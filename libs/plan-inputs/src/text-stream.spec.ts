import { UsageError } from '@wordbatch/errors';
import fc from 'fast-check';
import { MAX_LINE_CHARS, textLines } from './text-stream';

async function* chunksOf(...pieces: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const piece of pieces) yield Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
}

async function linesOf(chunks: AsyncIterable<Buffer>): Promise<Array<[number, string]>> {
  const lines: Array<[number, string]> = [];
  for await (const { line, number } of textLines(chunks, 'list')) lines.push([number, line]);
  return lines;
}

describe('textLines', () => {
  it('numbers LF and CRLF lines from 1, keeps blank lines and a last line without a line end', async () => {
    expect(await linesOf(chunksOf('a\r\n\nb\r', '\nc\r\rd'))).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
      [4, 'c\r\rd'],
    ]);
    // A last line that ends in CR loses it too; a text that ends in a line feed has no empty line after it.
    expect(await linesOf(chunksOf('x\r'))).toEqual([[1, 'x']]);
    expect(await linesOf(chunksOf('x\n'))).toEqual([[1, 'x']]);
    expect(await linesOf(chunksOf())).toEqual([]);
    expect(await linesOf(chunksOf('', '\n'))).toEqual([[1, '']]);
  });

  it('drops a byte order mark at the start of the text only, even when it arrives alone', async () => {
    expect(await linesOf(chunksOf('\ufeffa\n\ufeffb'))).toEqual([
      [1, 'a'],
      [2, '\ufeffb'],
    ]);
    expect(await linesOf(chunksOf(Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x61, 0x0a])))).toEqual([[1, 'a']]);
    expect(await linesOf(chunksOf('\ufeff', 'a'))).toEqual([[1, 'a']]);
    // A first key that itself starts with U+FEFF keeps it, when the mark came in a chunk of its own.
    expect(await linesOf(chunksOf('\ufeff', '\ufeffa'))).toEqual([[1, '\ufeffa']]);
  });

  it('gives the same lines however the bytes are cut, characters of up to 4 bytes included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', 'é', '\u{1f600}', '\ufeff', 'k'), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        async (pieces, cuts) => {
          const text = pieces.join('');
          const bytes = Buffer.from(text);
          const chunks: Buffer[] = [];
          for (let start = 0, turn = 0; start < bytes.length; turn++) {
            const end = Math.min(bytes.length, start + cuts[turn % cuts.length]);
            chunks.push(bytes.subarray(start, end));
            start = end;
          }
          const body = text.startsWith('\ufeff') ? text.slice(1) : text;
          const expected = (body.endsWith('\n') ? body.slice(0, -1) : body).split('\n').map((line, index): [number, string] => [index + 1, line.endsWith('\r') ? line.slice(0, -1) : line]);
          expect(await linesOf(chunksOf(...chunks))).toEqual(body === '' ? [] : expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it(`refuses a line longer than ${MAX_LINE_CHARS} characters, naming its number, and takes one of exactly that length`, async () => {
    const longest = 'k'.repeat(MAX_LINE_CHARS);
    expect(await linesOf(chunksOf('a\n', longest, '\nb'))).toEqual([
      [1, 'a'],
      [2, longest],
      [3, 'b'],
    ]);
    const error = await linesOf(chunksOf('a\n', longest, 'k')).catch((caught: unknown) => caught);
    expect(error).toEqual(new UsageError(`list line 2 is longer than ${MAX_LINE_CHARS} characters: not a key list`));
  });
});
