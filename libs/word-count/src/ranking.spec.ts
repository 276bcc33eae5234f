import fc from 'fast-check';
import { codePointLength } from './code-points';
import { RankOptions, rankWords, sortByCountThenWord } from './ranking';
import { WordCount, WordCounts } from './word-counts';

function countsOf(entries: [string, number][]): WordCounts {
  const counts = new WordCounts();
  for (const [word, count] of entries) counts.add(word, count);
  return counts;
}

const NO_FILTER: RankOptions = { top: Infinity, minLength: 0, minCount: 0, stopwords: new Set() };

describe('sortByCountThenWord', () => {
  it('sorts by count descending, then by word in code-point order', () => {
    const sorted = sortByCountThenWord([
      ['b', 2],
      ['😀', 5],
      ['\uffff', 5],
      ['a', 2],
      ['z', 9],
    ]);
    expect(sorted).toEqual([
      { word: 'z', count: 9 },
      { word: '\uffff', count: 5 },
      { word: '😀', count: 5 },
      { word: 'a', count: 2 },
      { word: 'b', count: 2 },
    ]);
  });
});

describe('rankWords', () => {
  const counts = countsOf([
    ['the', 50],
    ['and', 40],
    ['lord', 30],
    ['god', 30],
    ['i', 20],
    ['𝐀𝐁', 10],
    ['é\u0301', 10],
  ]);

  it('keeps the top words in rank order', () => {
    expect(rankWords(counts, { ...NO_FILTER, top: 3 })).toEqual([
      { word: 'the', count: 50 },
      { word: 'and', count: 40 },
      { word: 'god', count: 30 },
    ]);
  });

  it('drops stopwords, rare words and short words before taking the top', () => {
    const options = { top: 2, minLength: 2, minCount: 25, stopwords: new Set(['the', 'and']) };
    expect(rankWords(counts, options)).toEqual([
      { word: 'god', count: 30 },
      { word: 'lord', count: 30 },
    ]);
  });

  it('measures length in code points, not UTF-16 units', () => {
    const ranked = rankWords(counts, { ...NO_FILTER, minLength: 2, minCount: 10, top: 10 }).map(({ word }) => word);
    expect(ranked).toContain('𝐀𝐁');
    expect(ranked).toContain('é\u0301');
    expect(rankWords(counts, { ...NO_FILTER, minLength: 3 }).map(({ word }) => word)).not.toContain('𝐀𝐁');
  });

  it('returns nothing for top 0 and rejects a nonsensical top', () => {
    expect(rankWords(counts, { ...NO_FILTER, top: 0 })).toEqual([]);
    expect(() => rankWords(counts, { ...NO_FILTER, top: -1 })).toThrow(RangeError);
    expect(() => rankWords(counts, { ...NO_FILTER, top: 2.5 })).toThrow(
      new RangeError('top must be a non-negative integer or Infinity, got 2.5'),
    );
  });

  it('equals filtering and sorting everything, then slicing', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '𝐀', '\uffff'), minLength: 1, maxLength: 3 });
    const entry = fc.tuple(word, fc.integer({ min: 1, max: 6 }));
    const options = fc.record({
      top: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(Infinity)),
      minLength: fc.integer({ min: 0, max: 3 }),
      minCount: fc.integer({ min: 0, max: 6 }),
      stopwords: fc.array(fc.constantFrom('a', 'b', 'ab', 'é'), { maxLength: 3 }).map((words) => new Set<string>(words)),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), options, (entries, rankOptions) => {
        const counts = countsOf(entries);
        const everything: WordCount[] = sortByCountThenWord(counts.entries()).filter(
          ({ word, count }) =>
            count >= rankOptions.minCount &&
            codePointLength(word) >= rankOptions.minLength &&
            !rankOptions.stopwords.has(word),
        );
        expect(rankWords(counts, rankOptions)).toEqual(everything.slice(0, rankOptions.top));
      }),
    );
  });

  it('equals sorting then slicing when the vocabulary is much larger than top, so the heap keeps replacing its root', () => {
    // Mostly distinct counts and a small top: every offer after the first few evicts the worst kept word.
    const entry = fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '𝐀'), maxLength: 3 }), fc.integer({ min: 1, max: 1000 }));
    fc.assert(
      fc.property(fc.array(entry, { minLength: 10, maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (entries, top) => {
        const counts = countsOf(entries);
        const options = { ...NO_FILTER, top, minLength: 1 };
        const everything = sortByCountThenWord(counts.entries()).filter(({ word }) => word !== '');
        expect(rankWords(counts, options)).toEqual(everything.slice(0, top));
      }),
      { numRuns: 300 },
    );
  });
});
