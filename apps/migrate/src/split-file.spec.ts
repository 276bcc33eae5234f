import fc from 'fast-check';
import { countWords, formatFileCounts, WordCounts, type TokenizerName } from '@wordbatch/word-count';
import { channelThreads } from './channel-threads.spec-helper';
import { startShardCounter } from './count-pool';
import type { ShardCounter } from './counter';
import { SplitFile } from './split-file';

/**
 * Text made of what makes a cut hard: multi-byte characters (2, 3 and 4 bytes, and a combining
 * mark), CRLF and bare CR, joiners that belong to a word only between letters, and invalid or
 * cut UTF-8 sequences, with newlines here and there (or none at all).
 */
const PIECES: readonly Buffer[] = [
  'word',
  'É',
  '€',
  '😀',
  'e\u0301',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  "'",
  '-',
  '’',
  'it’s',
  'high-speed',
  'U.S.',
  '42',
  '\u00a0',
  'Ωmega',
].map((text) => Buffer.from(text, 'utf8'));
const BROKEN: readonly Buffer[] = [Buffer.from('é').subarray(0, 1), Buffer.from('€').subarray(0, 2), Buffer.from('😀').subarray(0, 3), Buffer.from([0xff])];

const textArbitrary = (withNewlines: boolean) =>
  fc
    .array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.constantFrom(...BROKEN) }), { maxLength: 400 })
    .map((parts) => Buffer.concat(withNewlines ? parts : parts.filter((part) => !part.includes(0x0a))));

function sorted(counts: WordCounts): Array<[string, number]> {
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function startCounter(tokenizer: TokenizerName, perFile: boolean, threads: number): ShardCounter {
  return startShardCounter({ tokenizer, perFile, threads, spawn: channelThreads().spawn });
}

/** Writes `text` through a SplitFile in chunks of `chunkBytes`; returns what end() said and the shard's counts. */
async function countSplit(counter: ShardCounter, text: Buffer, pieceBytes: number, chunkBytes: number, perFile: boolean) {
  const file = new SplitFile(counter.openGroup(), text.length, pieceBytes, perFile);
  for (let start = 0; start < text.length; start += chunkBytes) await file.write(text.subarray(start, start + chunkBytes));
  const ended = await file.end();
  file.discard();
  return { ended, pieces: file.pieces, counts: await counter.finish() };
}

describe('SplitFile', () => {
  it.each<[TokenizerName, number]>([
    ['unicode', 1],
    ['unicode', 3],
    ['whitespace', 1],
    ['whitespace', 3],
  ])('counts exactly as the whole object, wherever the cuts fall (%s, %i threads)', async (tokenizer, threads) => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean().chain(textArbitrary),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 97 }),
        async (text, perFile, pieceBytes, chunkBytes) => {
          const counter = startCounter(tokenizer, perFile, threads);
          try {
            const { ended, counts } = await countSplit(counter, text, pieceBytes, chunkBytes, perFile);
            const whole = countWords(text, tokenizer);
            expect(sorted(counts)).toEqual(sorted(whole));
            expect(ended.words).toBe(whole.total);
            expect(ended.fileCounts).toBe(perFile ? formatFileCounts(whole) : undefined);
          } finally {
            await counter.close();
          }
        },
      ),
      { numRuns: threads === 1 ? 60 : 30 },
    );
  });

  it('cuts at the first newline at or past each piece size, and nowhere else', async () => {
    const counter = startCounter('unicode', false, 1);
    const text = Buffer.from('aaaa\nbb\ncc\r\nd\n\neeeeeeeeee');
    const { pieces } = await countSplit(counter, text, 4, 3, false);
    // Pieces: "aaaa\n", "bb\ncc\r\n" (its first newline is before 4 bytes), "d\n\neeeeeeeeee".
    expect(pieces).toBe(3);
  });

  it('makes a text without a newline one piece', async () => {
    const counter = startCounter('unicode', false, 2);
    const text = Buffer.from('word '.repeat(10_000));
    const { pieces, ended } = await countSplit(counter, text, 64, 1000, false);
    expect(pieces).toBe(1);
    expect(ended.words).toBe(10_000);
    await counter.close();
  });

  it('puts a multi-byte character on every cut and still counts the same', async () => {
    // Every line ends just before a character of 2, 3 or 4 bytes that starts the next line.
    const text = Buffer.from(Array.from({ length: 600 }, (_, index) => `${'x'.repeat(index % 7)}${['é', '€', '😀'][index % 3]}\n`).join(''));
    for (const threads of [1, 3]) {
      const counter = startCounter('unicode', false, threads);
      const { counts, pieces } = await countSplit(counter, text, 5, 4096, false);
      expect(pieces).toBeGreaterThan(200);
      expect(sorted(counts)).toEqual(sorted(countWords(text, 'unicode')));
      await counter.close();
    }
  });

  it('leaves nothing in the shard when the object is dropped after some pieces ended', async () => {
    for (const threads of [1, 3]) {
      const counter = startCounter('unicode', false, threads);
      const kept = counter.openFile(100);
      await kept.write(Buffer.from('kept words\n'));
      await kept.end();
      const file = new SplitFile(counter.openGroup(), 1_000_000, 1000, false);
      for (let line = 0; line < 200; line++) await file.write(Buffer.from(`dropped ${'text '.repeat(50)}\n`));
      expect(file.pieces).toBeGreaterThan(10);
      file.discard();
      file.discard();
      expect(sorted(await counter.finish())).toEqual(sorted(countWords('kept words')));
      await counter.close();
    }
  });

  it('streams a line 200 times the piece size through one piece, memory not growing with it', async () => {
    // The 200 MB line of the issue, scaled with the piece size (64 KiB here, 8 MiB by default) so
    // that it runs in seconds on a loaded machine: what matters is line length over piece size.
    const pieceBytes = 64 * 1024;
    const counter = startCounter('whitespace', false, 2);
    const chunk = Buffer.from('Abc '.repeat(4096));
    const chunks = (200 * pieceBytes) / chunk.length;
    const file = new SplitFile(counter.openGroup(), chunk.length * chunks, pieceBytes, false);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    for (let index = 0; index < chunks; index++) {
      await file.write(chunk);
      if (index % 64 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    await file.write(Buffer.from('\nlast'));
    const ended = await file.end();
    expect(file.pieces).toBe(2);
    expect(ended.words).toBe(4096 * chunks + 1);
    const counts = await counter.finish();
    expect(counts.get('abc')).toBe(4096 * chunks);
    expect(counts.get('last')).toBe(1);
    // The line streams through the thread's slots (6 MiB): memory does not grow with it.
    expect(rssPeak - rssBefore).toBeLessThan(64 * 1024 * 1024);
    await counter.close();
  });
});
