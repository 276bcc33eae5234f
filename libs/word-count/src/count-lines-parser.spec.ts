import { CountFormatError, CountLinesParser, parseCount } from './count-lines-parser';
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

  it('rejects a word that is one stray continuation byte (0x80, the lowest non-ASCII byte)', () => {
    expect(() => parse(Uint8Array.from([0x80, 0x09, 0x31, 0x0a]))).toThrow(/^line 1: word is not valid UTF-8/);
    expect(String(new CountFormatError('x'))).toBe('CountFormatError: x');
  });

  it('carries a line longer than its carry buffer (256 bytes, doubled as needed) across chunks', () => {
    const word = 'w'.repeat(1_000);
    const text = `a\t1\n${word}\t3\nb\t2\n`;
    const { counts } = parse(text.slice(0, 10), text.slice(10, 700), text.slice(700));
    expect(counts.get(word)).toBe(3);
    expect(counts.get('a')).toBe(1);
    expect(counts.get('b')).toBe(2);
  });

  it('accepts U+FFFD itself, which the whitespace rule produces for invalid input', () => {
    expect(parse('\ufffdx\t2\n').counts.get('\ufffdx')).toBe(2);
  });

  it('reports a last line cut short as truncated, even when its word is empty, and only once', () => {
    expect(() => parse('a\t1\n\t2')).toThrow(/^line 2: no final newline/);
    const parser = new CountLinesParser(new WordCounts());
    parser.write(encoder.encode('a\t1\nb'));
    expect(() => parser.end()).toThrow(/^line 2: no final newline/);
    expect(() => parser.end()).not.toThrow();
  });

  it('refuses writes after end()', () => {
    const parser = new CountLinesParser(new WordCounts());
    parser.end();
    expect(() => parser.write(encoder.encode('a\t1\n'))).toThrow(/after end/);
  });
});

describe('parseCount', () => {
  const count = (text: string) => parseCount(encoder.encode(text), 0, text.length);

  it('reads digits without a leading zero', () => {
    expect(count('1')).toBe(1);
    expect(count('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['', '0', '01', '1:', '1/', '1a', '9007199254740992', '12345678901234567'])('refuses %j', (text) => {
    expect(count(text)).toBeUndefined();
  });
});
