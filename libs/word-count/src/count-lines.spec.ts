import fc from 'fast-check';
import { formatFileCounts, serializeCountLines } from './count-lines';
import { CountLinesParser } from './count-lines-parser';
import { WordCounts } from './word-counts';

function countsOf(entries: [string, number][]): WordCounts {
  const counts = new WordCounts();
  for (const [word, count] of entries) counts.add(word, count);
  return counts;
}

const sample = countsOf([
  ['the', 3],
  ['😀x', 2],
  ['\uffff', 2],
  ['and', 3],
  ['god', 1],
]);

describe('formatFileCounts', () => {
  it('writes word<TAB>count lines, count descending then word by code point', () => {
    expect(formatFileCounts(sample)).toBe('and\t3\nthe\t3\n\uffff\t2\n😀x\t2\ngod\t1\n');
  });

  it('writes nothing for no words', () => {
    expect(formatFileCounts(new WordCounts())).toBe('');
  });
});

describe('serializeCountLines', () => {
  it('sorts lines by word in code-point order, so the bytes are deterministic', () => {
    expect([...serializeCountLines(sample)].join('')).toBe('and\t3\ngod\t1\nthe\t3\n\uffff\t2\n😀x\t2\n');
  });

  it('yields pieces of about chunkChars characters, each ending at a line end', () => {
    const counts = countsOf(Array.from({ length: 1000 }, (_, index): [string, number] => [`word${index}`, index + 1]));
    const pieces = [...serializeCountLines(counts, 100)];
    expect(pieces.length).toBeGreaterThan(100);
    for (const piece of pieces) {
      expect(piece.endsWith('\n')).toBe(true);
      expect(piece.length).toBeLessThan(100 + 20);
    }
    expect(pieces.join('')).toBe([...serializeCountLines(counts)].join(''));
  });

  it('ends a piece at the first line end that reaches chunkChars, not before', () => {
    const counts = countsOf([['a', 1], ['b', 2], ['c', 3], ['d', 4], ['e', 5]]);
    // Each line is 4 characters: a piece closes once it holds 8 (exactly chunkChars) or more.
    expect([...serializeCountLines(counts, 8)]).toEqual(['a\t1\nb\t2\n', 'c\t3\nd\t4\n', 'e\t5\n']);
    expect([...serializeCountLines(counts, 9)]).toEqual(['a\t1\nb\t2\nc\t3\n', 'd\t4\ne\t5\n']);
  });

  it('yields nothing for no words and rejects a bad chunk size', () => {
    expect([...serializeCountLines(new WordCounts())]).toEqual([]);
    expect(() => [...serializeCountLines(sample, 0)]).toThrow(new RangeError('chunkChars must be a positive integer, got 0'));
  });

  it('round-trips through CountLinesParser whatever the words and the chunking', () => {
    // Any word the tokenizers can produce: no TAB, no LF, no lone surrogate, not empty.
    const word = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 8 })
      .filter((text) => !/[\t\n]/.test(text));
    const entries = fc.array(fc.tuple(word, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })), { maxLength: 30 });
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 9 }), (pairs, chunkBytes) => {
        const counts = countsOf(pairs);
        const body = encoder.encode([...serializeCountLines(counts, 16)].join(''));
        const parsed = new WordCounts();
        const parser = new CountLinesParser(parsed);
        for (let start = 0; start < body.length; start += chunkBytes) parser.write(body.subarray(start, start + chunkBytes));
        parser.end();
        expect(new Map(parsed.entries())).toEqual(new Map(counts.entries()));
        expect(parser.lines).toBe(counts.size);
      }),
    );
  });
});
