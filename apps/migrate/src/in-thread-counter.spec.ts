import { countWords, formatFileCounts, WordCounts, type TokenizerName } from '@wordbatch/word-count';
import { InThreadCounter, SMALL_OBJECT_BYTES } from './in-thread-counter';

/** Endings that a counter's end() settles: a last word, a pending joiner, a cut UTF-8 sequence. */
const PIECES = ['rock-', 'it’', 'it\'', 'École', ' ', '\n', 'a', 'U.S.', 'naïve', '42', '\t', 'high-speed', 'Ωmega', '--', '’s'];
const CUT_SEQUENCES = [Buffer.from('é').subarray(0, 1), Buffer.from('€').subarray(0, 2), Buffer.from([0xff])];

function objects(count: number, seed: number): Buffer[] {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  return Array.from({ length: count }, () => {
    const parts: Buffer[] = [];
    for (let index = next() % 12; index > 0; index--) parts.push(Buffer.from(PIECES[next() % PIECES.length]));
    if (next() % 3 === 0) parts.push(CUT_SEQUENCES[next() % CUT_SEQUENCES.length]);
    return Buffer.concat(parts);
  });
}

function sorted(counts: WordCounts): Array<[string, number]> {
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('InThreadCounter', () => {
  it.each<TokenizerName>(['unicode', 'whitespace'])('counts small objects together exactly as one by one (%s)', async (tokenizer) => {
    const counter = new InThreadCounter(tokenizer, false);
    const inputs = objects(400, tokenizer.length);
    const expected = new WordCounts();
    for (const input of inputs) {
      const file = counter.openFile(input.length);
      // Split anywhere, even inside a character, as a network would.
      for (let start = 0; start < input.length; start += 3) file.write(input.subarray(start, start + 3));
      const own = countWords(input, tokenizer);
      expect((await file.end()).words).toBe(own.total);
      expected.mergeFrom(own);
    }
    expect(sorted(await counter.finish())).toEqual(sorted(expected));
  });

  it('leaves no trace of a small object it dropped', async () => {
    const counter = new InThreadCounter('unicode', false);
    const dropped = counter.openFile(100);
    dropped.write(Buffer.from('binary junk and a cut word: bin'));
    dropped.discard();
    const kept = counter.openFile(100);
    kept.write(Buffer.from('ary stays apart'));
    await kept.end();
    expect(sorted(await counter.finish())).toEqual(sorted(countWords('ary stays apart')));
  });

  it('counts large objects, and every object when the plan asks for per-file counts, one by one', async () => {
    const large = Buffer.from('word '.repeat(SMALL_OBJECT_BYTES / 4));
    const counter = new InThreadCounter('unicode', true);
    for (const input of [Buffer.from('Small file, small file.'), large]) {
      const file = counter.openFile(input.length);
      file.write(input);
      expect((await file.end()).fileCounts).toBe(formatFileCounts(countWords(input)));
    }
    expect((await counter.finish()).get('word')).toBe(SMALL_OBJECT_BYTES / 4);
  });
});
