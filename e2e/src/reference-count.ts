/**
 * An independent, deliberately plain implementation of the unicode word rule, used to check
 * the pipeline's answers: a word is letters, marks and digits, joined by single ' ’ or -.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

export function referenceCounts(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.matchAll(WORD)) {
      const word = match[0].toLowerCase().replace(/’/g, "'");
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** The seed's ranking: length ≥ minLength code points, count ≥ minCount, no stopwords, count desc then word. */
export function referenceTop(
  counts: Map<string, number>,
  { top = 100, minLength = 3, minCount = 3, stopwords = ['and', 'the'] } = {},
): Array<{ word: string; count: number }> {
  return [...counts]
    .filter(([word, count]) => [...word].length >= minLength && count >= minCount && !stopwords.includes(word))
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || byCodePoint(a.word, b.word))
    .slice(0, top);
}

function byCodePoint(a: string, b: string): number {
  const left = [...a].map((char) => char.codePointAt(0) as number);
  const right = [...b].map((char) => char.codePointAt(0) as number);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] - right[i];
  }
  return left.length - right.length;
}
