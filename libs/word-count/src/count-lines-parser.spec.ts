import { CountFormatError, CountLinesParser } from './count-lines-parser';
import { WordCounts } from './word-counts';

const encoder = new TextEncoder();

function parse(...chunks: (string | Uint8Array)[]): { counts: WordCounts; lines: number } {
  const counts = new WordCounts();
  const parser = new CountLinesParser(counts);
  for (const chunk of chunks) parser.write(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  parser.end();
  return { counts, lines: parser.lines };
}

describe('CountLinesParser', () => {
  it('adds every line into the target, merging with what is there', () => {
    const counts = new WordCounts();
    counts.add('the', 10);
    const parser = new CountLinesParser(counts);
    parser.write(encoder.encode('lord\t2\nthe\t5\nlord\t1\n'));
    parser.end();
    expect(new Map(counts.entries())).toEqual(new Map([['the', 15], ['lord', 3]]));
    expect(parser.lines).toBe(3);
  });

  it('counts exactly with a vocabulary large enough for batched prefetching', () => {
    const words = Array.from({ length: 60_000 }, (_, index) => `w${index.toString(36)}`);
    const body = encoder.encode(words.map((word, index) => `${word}\t${index + 1}\n`).join(''));
    const counts = new WordCounts();
    for (let round = 0; round < 2; round++) {
      const parser = new CountLinesParser(counts);
      for (let start = 0; start < body.length; start += 1000) parser.write(body.subarray(start, start + 1000));
      parser.end();
      expect(parser.lines).toBe(words.length);
    }
    expect(counts.size).toBe(words.length);
    expect(words.every((word, index) => counts.get(word) === 2 * (index + 1))).toBe(true);
  });

  it('keeps the lines before a malformed one', () => {
    const counts = new WordCounts();
    const parser = new CountLinesParser(counts);
    expect(() => parser.write(encoder.encode('a\t1\nb\t2\nc\n'))).toThrow(/^line 3: no tab/);
    expect(new Map(counts.entries())).toEqual(new Map([['a', 1], ['b', 2]]));
    expect(parser.lines).toBe(2);
  });

  it('accepts an empty body', () => {
    expect(parse().lines).toBe(0);
    expect(parse('').counts.size).toBe(0);
  });

  it('reassembles lines and characters cut across chunks', () => {
    const bytes = encoder.encode('straße\t12\n\ufeffx\t3\n');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    const { counts } = parse(...chunks);
    expect(new Map(counts.entries())).toEqual(new Map([['straße', 12], ['\ufeffx', 3]]));
  });

  it.each([
    ['a line without a tab', 'the\t1\nlord 2\n', /^line 2: no tab/],
    ['an empty word', '\t4\n', /^line 1: empty word/],
    ['an empty line', 'a\t1\n\n', /^line 2: no tab/],
    ['a zero count', 'a\t0\n', /^line 1: count "0" is not a positive integer/],
    ['a negative count', 'a\t-3\n', /^line 1: count "-3"/],
    ['a leading zero', 'a\t07\n', /^line 1: count "07"/],
    ['a fractional count', 'a\t1.5\n', /^line 1: count "1.5"/],
    ['a count too large to be exact', 'a\t9007199254740993\n', /^line 1: count/],
    ['a CR before the newline', 'a\t1\r\n', /^line 1: count "1\\r"/],
    ['a second tab', 'a\tb\t1\n', /^line 1: count "b\\t1"/],
    ['a missing final newline', 'a\t1\nb\t2', /^line 2: no final newline/],
    ['a word alone on the last line', 'a\t1\nb', /^line 2: no final newline/],
  ])('rejects %s, naming the line', (_, body, message) => {
    expect(() => parse(body)).toThrow(CountFormatError);
    expect(() => parse(body)).toThrow(message);
  });

  it('rejects a word that is not valid UTF-8, naming the line', () => {
    expect(() => parse('a\t1\n', Uint8Array.from([0x62, 0xff, 0x09, 0x31, 0x0a]))).toThrow(CountFormatError);
    expect(() => parse('a\t1\n', Uint8Array.from([0x62, 0xff, 0x09, 0x31, 0x0a]))).toThrow(
      /^line 2: word is not valid UTF-8/,
    );
    expect(() => parse(Uint8Array.from([0x62, 0xe2, 0x82, 0x09, 0x31, 0x0a]))).toThrow(/^line 1: word is not valid/);
  });

  it('accepts U+FFFD itself, which the whitespace rule produces for invalid input', () => {
    expect(parse('\ufffdx\t2\n').counts.get('\ufffdx')).toBe(2);
  });

  it('refuses writes after end()', () => {
    const parser = new CountLinesParser(new WordCounts());
    parser.end();
    expect(() => parser.write(encoder.encode('a\t1\n'))).toThrow(/after end/);
  });
});
