import fc from 'fast-check';
import { compareCodePoints } from './code-points';
import { serializeCountLines } from './count-lines';
import { CountLinesCollector, mergeCountLines, type CountLinesSource } from './count-lines-merge';
import { CountFormatError, CountLinesParser } from './count-lines-parser';
import { rankWords, TopWords, type RankOptions } from './ranking';
import { WordCounts, type WordCount } from './word-counts';

const encoder = new TextEncoder();

async function* chunksOf(pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield piece;
}

/** A source from a body given as text or bytes, cut into pieces of `chunkBytes`. */
function source(name: string, body: string | Uint8Array, chunkBytes = 1 << 16): CountLinesSource {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) pieces.push(bytes.subarray(start, start + chunkBytes));
  return { name, chunks: chunksOf(pieces) };
}

async function merged(sources: CountLinesSource[]): Promise<{ words: [string, number][]; distinct: number }> {
  const words: [string, number][] = [];
  const distinct = await mergeCountLines(sources, (word, length, count) => words.push([word.toString('utf8', 0, length), count]));
  return { words, distinct };
}

function countsOf(entries: [string, number][]): WordCounts {
  const counts = new WordCounts();
  for (const [word, count] of entries) counts.add(word, count);
  return counts;
}

const bodyOf = (counts: WordCounts) => [...serializeCountLines(counts)].join('');

/** What merge did before this module: every body parsed into one table, then sorted. */
function mergedByTable(bodies: Uint8Array[]): WordCounts {
  const counts = new WordCounts();
  for (const body of bodies) {
    const parser = new CountLinesParser(counts);
    parser.write(body);
    parser.end();
  }
  return counts;
}

describe('mergeCountLines', () => {
  it('merges words longer than its 256-byte word buffer that share all but their last bytes', async () => {
    const long = 'p'.repeat(300);
    const result = await merged([
      source('a', `${long}a\t1\n${long}c\t2\n${long}${long}\t4\n`, 97),
      source('b', `${long}a\t5\n${long}b\t3\n${long}${long}\t1\n`, 131),
      source('c', `${long}\t7\n${long}b\t1\n`),
    ]);
    expect(result.words).toEqual([
      [long, 7],
      [`${long}a`, 6],
      [`${long}b`, 4],
      [`${long}c`, 2],
      [`${long}${long}`, 5],
    ]);
    expect(result.distinct).toBe(5);
    // A first word of more than twice the buffer's size.
    expect((await merged([source('a', `${'q'.repeat(600)}\t1\n`)])).words).toEqual([['q'.repeat(600), 1]]);
  });

  it('sums each word across the sources and hands the words over in code-point order', async () => {
    const result = await merged([
      source('a', 'apple\t5\nbanana\t2\nthe\t9\n'),
      source('b', 'apple\t1\ncherry\t3\nd\u00fcr\u00fcm\t3\n'),
      source('c', 'banana\t3\ncherry\t1\n\uffff\t1\n😀\t2\n'),
    ]);
    expect(result.words).toEqual([
      ['apple', 6],
      ['banana', 5],
      ['cherry', 4],
      ['dürüm', 3],
      ['the', 9],
      ['\uffff', 1],
      ['😀', 2],
    ]);
    expect(result.distinct).toBe(7);
  });

  it('merges no sources, empty bodies and empty chunks into nothing', async () => {
    expect(await merged([])).toEqual({ words: [], distinct: 0 });
    expect(await merged([source('a', ''), { name: 'b', chunks: chunksOf([new Uint8Array(0), new Uint8Array(0)]) }])).toEqual({ words: [], distinct: 0 });
  });

  it('tells apart words sharing their first bytes, and words that are prefixes of others', async () => {
    const result = await merged([
      source('a', 'abcdef\t1\nabcdefg\t1\nabcdefgh\t1\nb\t1\n'),
      source('b', 'abc\t1\nabcdef\t2\nabcdefgg\t1\nabcdefh\t1\n'),
    ]);
    expect(result.words).toEqual([
      ['abc', 1],
      ['abcdef', 3],
      ['abcdefg', 1],
      ['abcdefgg', 1],
      ['abcdefgh', 1],
      ['abcdefh', 1],
      ['b', 1],
    ]);
  });

  it('orders words padded with NUL bytes, which a key padded with zeros cannot tell apart', async () => {
    const words = ['a', 'a\0', 'a\0\0\0\0\0', 'a\0\0\0\0\0\0', 'a\0\0\0\0\0\0\0', 'a\0\0\0\0\0\x01', 'a\x01'];
    const result = await merged([
      source('a', words.filter((_, index) => index % 2 === 0).map((word) => `${word}\t1\n`).join('')),
      source('b', words.filter((_, index) => index % 2 === 1).map((word) => `${word}\t1\n`).join('')),
      source('c', words.map((word) => `${word}\t1\n`).join('')),
    ]);
    expect(result.words).toEqual(words.map((word) => [word, 2]));
  });

  it('sums a word repeated on consecutive lines, as the table did', async () => {
    expect((await merged([source('a', 'x\t1\nx\t2\n'), source('b', 'x\t4\n')])).words).toEqual([['x', 7]]);
  });

  it.each([
    ['a line without a tab', 'the\t1\nlord 2\n', /^s: line 2: no tab/],
    ['an empty word', '\t4\n', /^s: line 1: empty word/],
    ['an empty line', 'a\t1\n\n', /^s: line 2: no tab/],
    ['a zero count', 'a\t0\n', /^s: line 1: count "0" is not a positive integer/],
    ['a leading zero', 'a\t07\n', /^s: line 1: count "07"/],
    ['a count too large to be exact', 'a\t9007199254740993\n', /^s: line 1: count/],
    ['a CR before the newline', 'a\t1\r\n', /^s: line 1: count "1\\r"/],
    ['a missing final newline', 'a\t1\nb\t2', /^s: line 2: no final newline/],
    ['a word alone on the last line', 'a\t1\nb', /^s: line 2: no final newline/],
    // Not `empty word`: the line is cut short before its end shows what it is.
    ['an empty word on a last line cut short', 'a\t1\n\t5', /^s: line 2: no final newline/],
    ['words out of order', 'a\t1\nc\t1\nb\t1\n', /^s: line 3: words out of order/],
  ])('rejects %s, naming the source and the line, in chunks of 3 bytes or in one', async (_, body, message) => {
    for (const chunkBytes of [3, 1 << 16]) {
      await expect(merged([source('other', 'a\t1\n'), source('s', body, chunkBytes)])).rejects.toThrow(CountFormatError);
      await expect(merged([source('other', 'a\t1\n'), source('s', body, chunkBytes)])).rejects.toThrow(message);
    }
  });

  it('rejects a word that is not valid UTF-8', async () => {
    const body = Uint8Array.from([0x61, 0x09, 0x31, 0x0a, 0x62, 0xff, 0x09, 0x31, 0x0a]);
    await expect(merged([source('s', body)])).rejects.toThrow(/^s: line 2: word is not valid UTF-8/);
    // A lone continuation byte: its bits are exactly 0x80, the least a non-ASCII word has.
    const continuation = Uint8Array.from([0x61, 0x09, 0x31, 0x0a, 0x80, 0x09, 0x31, 0x0a]);
    await expect(merged([source('s', continuation)])).rejects.toThrow(/^s: line 2: word is not valid UTF-8/);
  });

  it('names the first of two sources that hold the same words and break on the same line', async () => {
    // The same word at the top of both: which source is read on first must not depend on chance.
    for (const word of ['same', 'a word longer than its key']) {
      const body = `${word}\t1\n${word}\n`;
      await expect(merged([source('a', body), source('b', body)])).rejects.toThrow(/^a: line 2: no tab/);
    }
  });

  it('rejects a source whose order only shows against another source', async () => {
    // Each source alone descends only once its next word is compared with what was merged.
    await expect(merged([source('a', 'b\t1\na\t1\n'), source('b', 'c\t1\n')])).rejects.toThrow(/^a: line 2: words out of order/);
  });

  it('passes an error of a source on', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('a\t1\nb');
      throw new Error('connection reset');
    }
    await expect(merged([source('a', 'a\t1\n'), { name: 'b', chunks: broken() }])).rejects.toThrow('connection reset');
  });

  it('equals parsing every body into one table, whatever the words and the chunking', async () => {
    // Any word the tokenizers can produce: no TAB, no LF, no lone surrogate, not empty.
    const word = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 9 }),
      fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\uffff', '𝐀'), minLength: 1, maxLength: 9 }),
      // Words whose first 6 bytes (a key's) are the same, so that keys tie and only the bytes
      // after them tell the words apart, or the length when one is the other's prefix; bytes
      // below TAB there sort before the TAB that follows a shorter word in its line. Random
      // words of up to 9 characters almost never share 6 bytes.
      fc
        .tuple(fc.constantFrom('abcdef', 'abcde\u00e9', 'abcdeg'), fc.string({ unit: fc.constantFrom('\0', '\x01', '\x08', 'a', '\x7f', 'é'), maxLength: 4 }))
        .map(([leading, rest]) => leading + rest),
    );
    const shard = fc.array(fc.tuple(word.filter((text) => !/[\t\n]/.test(text)), fc.integer({ min: 1, max: 2 ** 40 })), { maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(fc.array(shard, { maxLength: 6 }), fc.integer({ min: 1, max: 40 }), async (shards, chunkBytes) => {
        const bodies = shards.map((entries) => encoder.encode(bodyOf(countsOf(entries))));
        const expected = [...mergedByTable(bodies).entries()].sort(([a], [b]) => compareCodePoints(a, b));
        const result = await merged(bodies.map((body, index) => source(`shard ${index}`, body, chunkBytes)));
        expect(result.words).toEqual(expected);
        expect(result.distinct).toBe(expected.length);
      }),
    );
  });

  it('orders words whose keys tie as their bytes do, whatever the chunking', async () => {
    // Every word is 'abcdef' and up to 4 more bytes, mostly NUL, so all those longer than 6
    // bytes share a key and only their bytes order them, and most are another word with one
    // more byte: the merge must put it after that word however the two meet in the heap.
    // NUL sorts below the TAB that ends the shorter word in its line, so a comparison that
    // reads past a word's end shows. Chunks of up to 200 bytes leave most lines inside a
    // chunk rather than copied to a buffer of their own. About 3 inputs in 10 catch a
    // comparison that reads one byte past the shorter word (checked by sampling 3,000).
    const vocabulary = fc.uniqueArray(
      fc.string({ unit: fc.constantFrom('\0', '\0', '\0', '\x01'), maxLength: 4 }).map((rest) => `abcdef${rest}`),
      { minLength: 2, maxLength: 10 },
    );
    const input = vocabulary.chain((words) =>
      fc.tuple(fc.array(fc.subarray(words, { minLength: 1 }), { minLength: 2, maxLength: 6 }), fc.integer({ min: 1, max: 200 })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ([shards, chunkBytes]) => {
        const bodies = shards.map((words) => encoder.encode(bodyOf(countsOf(words.map((word) => [word, 1])))));
        const expected = [...mergedByTable(bodies).entries()].sort(([a], [b]) => compareCodePoints(a, b));
        expect((await merged(bodies.map((body, index) => source(`shard ${index}`, body, chunkBytes)))).words).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('ranks, through TopWords, exactly as rankWords ranks the table', async () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '𝐀', '\uffff'), minLength: 1, maxLength: 3 });
    const shard = fc.array(fc.tuple(word, fc.integer({ min: 1, max: 6 })), { maxLength: 20 });
    const options = fc.record({
      top: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(Infinity)),
      minLength: fc.integer({ min: 0, max: 3 }),
      minCount: fc.integer({ min: 0, max: 8 }),
      stopwords: fc.array(fc.constantFrom('a', 'b', 'ab', 'é'), { maxLength: 3 }).map((words) => new Set<string>(words)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(shard, { maxLength: 5 }), options, async (shards, rankOptions: RankOptions) => {
        const bodies = shards.map((entries) => encoder.encode(bodyOf(countsOf(entries))));
        const top = new TopWords(rankOptions);
        await mergeCountLines(
          bodies.map((body, index) => source(`shard ${index}`, body, 7)),
          (merged, length, count) => {
            if (top.wants(count)) top.offer(merged.toString('utf8', 0, length), count);
          },
        );
        const ranked: WordCount[] = top.ranked();
        expect(ranked).toEqual(rankWords(mergedByTable(bodies), rankOptions));
      }),
    );
  });
});

describe('CountLinesCollector', () => {
  it('writes the merged words back as a body, which merges again like its sources', async () => {
    const collector = new CountLinesCollector();
    await mergeCountLines([source('a', 'apple\t5\nst\u00e9\t2\n'), source('b', 'apple\t1\nzebra\t9007199254740990\n')], collector.add);
    expect(new TextDecoder().decode(collector.body)).toBe('apple\t6\nst\u00e9\t2\nzebra\t9007199254740990\n');
    const again = await merged([{ name: 'merged', chunks: chunksOf([collector.body]) }, source('c', 'b\t1\nzebra\t1\n')]);
    expect(again.words).toEqual([
      ['apple', 6],
      ['b', 1],
      ['sté', 2],
      ['zebra', 9007199254740991],
    ]);
  });

  it('grows past its first buffer', async () => {
    const counts = countsOf(Array.from({ length: 20_000 }, (_, index) => [`word${index}`, index + 1]));
    const collector = new CountLinesCollector();
    await mergeCountLines([source('a', bodyOf(counts), 4096)], collector.add);
    expect(new TextDecoder().decode(collector.body)).toBe(bodyOf(counts));
  });
});
