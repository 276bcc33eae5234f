import { UsageError } from '@wordbatch/errors';
import { csvRecords, decodeKey, keyListFormat } from './key-list';

async function* chunksOf(...pieces: string[]): AsyncGenerator<Buffer> {
  for (const piece of pieces) yield Buffer.from(piece);
}

async function recordsOf(...pieces: string[]): Promise<Array<{ record: string[]; line: number }>> {
  const records: Array<{ record: string[]; line: number }> = [];
  for await (const record of csvRecords(chunksOf(...pieces), 'list.csv')) records.push(record);
  return records;
}

describe('keyListFormat', () => {
  it.each([
    ['list.csv', 'csv'],
    ['a/b/list.jsonl', 'jsonl'],
    ['keys.txt', 'txt'],
    ['keys.txt.gz', 'txt'],
    ['list.csv.gz', 'csv'],
    ['list.csvx', undefined],
    ['list.gz', undefined],
    ['list.csv.gz.bak', undefined],
    ['csv', undefined],
    ['list.CSV', undefined],
  ])('says %s is %s', (key, format) => {
    expect(keyListFormat({ bucket: 'b', key })).toBe(format);
  });
});

describe('csvRecords', () => {
  it('gives each record with the line it ends on: quoted fields hold commas, quotes and line breaks; blank lines are skipped', async () => {
    expect(await recordsOf('\ufeffb,"k,1"\r\n\nb,"two\nlines","v""1"\n', 'b,last')).toEqual([
      { record: ['b', 'k,1'], line: 1 },
      { record: ['b', 'two\nlines', 'v"1'], line: 4 },
      { record: ['b', 'last'], line: 5 },
    ]);
  });

  it('ends records at CRLF, LF and CR alike, mixed in one text, as one list concatenated from others would be', async () => {
    expect(await recordsOf('b,key1\r\nb,key2\nb,key3\rb,"in\nside"\n')).toEqual([
      { record: ['b', 'key1'], line: 1 },
      { record: ['b', 'key2'], line: 2 },
      { record: ['b', 'key3'], line: 3 },
      { record: ['b', 'in\nside'], line: 5 },
    ]);
  });

  it('reads a record cut anywhere across chunks', async () => {
    const text = 'bucket,"a ""quoted"", key",v1\nbucket,plain\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(await recordsOf(text.slice(0, cut), text.slice(cut))).toEqual([
        { record: ['bucket', 'a "quoted", key', 'v1'], line: 1 },
        { record: ['bucket', 'plain'], line: 2 },
      ]);
    }
  });

  it('turns csv-parse errors into one usage error naming the list', async () => {
    const error = await recordsOf('b,"open\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^list\.csv: not valid CSV \(Quote Not Closed: the parsing is finished with an opening quote at line 1\)$/);
  });

  it('stops reading its source when the reader stops early', async () => {
    let finished = false;
    async function* endless(): AsyncGenerator<Buffer> {
      try {
        for (let index = 0; ; index++) yield Buffer.from(`b,key${index}\n`);
      } finally {
        finished = true;
      }
    }
    for await (const { record } of csvRecords(endless(), 'list.csv')) {
      expect(record).toEqual(['b', 'key0']);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
  });

  it('passes on other errors as they are', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('b,k\n');
      throw new Error('connection reset');
    }
    const records: string[][] = [];
    const error = await (async () => {
      for await (const { record } of csvRecords(failing(), 'list.csv')) records.push(record);
    })().catch((caught: unknown) => caught);
    expect(error).toEqual(new Error('connection reset'));
    expect(error).not.toBeInstanceOf(UsageError);
  });
});

describe('decodeKey', () => {
  it('decodes form encoding: + is a space, %2B a plus, %XX bytes as UTF-8', () => {
    expect(decodeKey('a+b%2Bc%20d%C3%A9', 'list.csv line 1')).toBe('a b+c dé');
  });

  it('refuses a malformed escape with a usage error naming where and the key', () => {
    expect(() => decodeKey('50%zz', 'list.csv line 3')).toThrow(
      new UsageError('list.csv line 3: key "50%zz" is not validly URL-encoded (a % not followed by two hex digits of UTF-8)'),
    );
    expect(() => decodeKey('%C3', 'x')).toThrow(UsageError);
  });
});
