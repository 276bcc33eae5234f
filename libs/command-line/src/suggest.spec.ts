import { editDistance, nearestName } from './suggest';

describe('editDistance', () => {
  it.each([
    ['shards', 'shards', 0],
    ['shard', 'shards', 1],
    ['sahrds', 'shards', 1],
    ['shrads', 'shards', 1],
    ['kitten', 'sitting', 3],
    ['', 'top', 3],
    ['ab', 'ca', 2],
    ['ab', 'bc', 2],
    ['abc', 'cab', 2],
    ['ba', 'ab', 1],
  ])('%s -> %s is %i edits (a swap of neighbours counts as one)', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearestName', () => {
  const known = ['shards', 'shard-bytes', 'source', 'stopwords', 'top', 'tokenizer', 'min-count', 'min-length'];

  it('suggests the closest name for a typo within a third of its length', () => {
    expect(nearestName('sahrds', known)).toBe('shards');
    expect(nearestName('sorce', known)).toBe('source');
    expect(nearestName('stopword', known)).toBe('stopwords');
  });

  it('completes a prefix only when one name has it', () => {
    expect(nearestName('tok', known)).toBe('tokenizer');
    expect(nearestName('min', known)).toBeUndefined();
    expect(nearestName('t', known)).toBeUndefined();
  });

  it('says nothing for a name too far from all of them', () => {
    expect(nearestName('output-format', known)).toBeUndefined();
    expect(nearestName('xyz', known)).toBeUndefined();
  });

  it('prefers the strictly closer of two candidates', () => {
    expect(nearestName('tp', ['top', 'tap2'])).toBe('top');
    expect(nearestName('plan', ['plan', 'plain'])).toBe('plan');
  });

  it('completes a prefix of two or more characters, not of one', () => {
    expect(nearestName('qu', ['quiet', 'region'])).toBe('quiet');
    expect(nearestName('q', ['quiet', 'region'])).toBeUndefined();
  });

  it('takes a later name that is strictly closer, and keeps the first of two equally close', () => {
    expect(nearestName('shrads', ['shard', 'shards'])).toBe('shards');
    expect(nearestName('tap', ['top', 'tip'])).toBe('top');
    expect(nearestName('tap', ['tip', 'top'])).toBe('tip');
  });
});

