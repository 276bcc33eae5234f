import fc from 'fast-check';
import { WordCounts } from './word-counts';

function countsOf(entries: [string, number][]): WordCounts {
  const counts = new WordCounts();
  for (const [word, count] of entries) counts.add(word, count);
  return counts;
}

describe('WordCounts', () => {
  it('adds, counting 1 by default, and reports size and total', () => {
    const counts = new WordCounts();
    counts.add('the');
    counts.add('the', 4);
    counts.add('lord', 2);
    expect(counts.get('the')).toBe(5);
    expect(counts.get('absent')).toBe(0);
    expect(counts.size).toBe(2);
    expect(counts.total).toBe(7);
    expect([...counts.entries()]).toEqual([['the', 5], ['lord', 2]]);
    expect([...counts]).toEqual([...counts.entries()]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('rejects a count of %p', (count) => {
    expect(() => new WordCounts().add('word', count)).toThrow(
      new RangeError(`count must be a positive integer, got ${count} for "word"`),
    );
  });

  it('keeps words longer than its encoding buffer whole, ASCII or not', () => {
    // The buffer starts at 256 bytes; 3 bytes per UTF-16 unit is the most UTF-8 needs.
    const words = ['x'.repeat(300), 'é'.repeat(200), '中'.repeat(100), `${'y'.repeat(85)}中`, '𝐀'.repeat(70)];
    const counts = countsOf(words.map((word, index) => [word, index + 1]));
    expect(new Map(counts.entries())).toEqual(new Map(words.map((word, index) => [word, index + 1])));
    expect(words.map((word) => counts.get(word))).toEqual([1, 2, 3, 4, 5]);
    expect(counts.get('x'.repeat(299))).toBe(0);
  });

  it('keeps any well-formed word apart from every other, and reads it back unchanged', () => {
    const words = ['', 'a', 'A', 'é', 'e\u0301', '𝐀', '\ufeff', '\uffff', 'a\u0000b', 'straße'];
    const counts = countsOf(words.map((word, index) => [word, index + 1]));
    expect(new Map(counts.entries())).toEqual(new Map(words.map((word, index) => [word, index + 1])));
  });

  it('stores a lone surrogate as U+FFFD, as UTF-8 must', () => {
    const counts = countsOf([['\ud800', 1], ['\ufffd', 1]]);
    expect(new Map(counts.entries())).toEqual(new Map([['\ufffd', 2]]));
  });

  it('merges a multiset into itself by doubling it', () => {
    const counts = countsOf([['a', 1], ['b', 2]]);
    counts.mergeFrom(counts);
    expect(new Map(counts.entries())).toEqual(new Map([['a', 2], ['b', 4]]));
  });

  it('merges another multiset into itself', () => {
    const counts = countsOf([['a', 1], ['b', 2]]);
    counts.mergeFrom(countsOf([['b', 3], ['c', 4]]));
    expect(new Map(counts.entries())).toEqual(new Map([['a', 1], ['b', 5], ['c', 4]]));
    expect(counts.total).toBe(10);
  });

  it('merges in any order and grouping to the same result', () => {
    const part = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'é', '𝐀'), fc.integer({ min: 1, max: 1000 })), {
      maxLength: 12,
    });
    const partsAndOrder = fc.array(part, { minLength: 1, maxLength: 6 }).chain((parts) =>
      fc.tuple(
        fc.constant(parts),
        fc.shuffledSubarray(Array.from(parts.keys()), { minLength: parts.length, maxLength: parts.length }),
      ),
    );
    fc.assert(
      fc.property(partsAndOrder, ([parts, order]) => {
        const chained = new WordCounts();
        for (const entries of parts) chained.mergeFrom(countsOf(entries));

        // The same parts in another order, merged pairwise like a tree instead of a chain.
        const queue = order.map((index) => countsOf(parts[index]));
        while (queue.length > 1) {
          const [left, right] = queue.splice(0, 2);
          left.mergeFrom(right);
          queue.push(left);
        }
        expect(new Map(queue[0].entries())).toEqual(new Map(chained.entries()));
        expect(queue[0].total).toBe(chained.total);
      }),
    );
  });
});
