import fc from 'fast-check';
import { formatIndexMap, parseIndexMap } from './index-map';
import { indexMapLocation, retryNumberOfIndexMap } from './layout';

const what = '--index-map s3://dst/out/p1/retries/retry-1.json';

describe('index maps', () => {
  it('round-trips any list of distinct shard indices', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 9_999 }), { minLength: 1, maxLength: 200 }), (shards) => {
        expect(parseIndexMap(formatIndexMap(shards), what)).toEqual(shards);
      }),
    );
  });

  it.each([
    ['not json', /is not JSON: expected an array of shard indices/],
    ['{"shards":[1]}', /expected an array of shard indices/],
    ['[]', /lists no shard/],
    ['[1, -2]', /entry 1: expected a whole number ≥ 0/],
    ['[1, 2.5]', /entry 1: expected a whole number/],
    ['[1, "2"]', /entry 1: expected a shard index/],
    ['[4, 7, 4]', /entry 2: shard 4 is listed twice/],
  ])('rejects %s with a message naming the flag and the entry', (text, message) => {
    expect(() => parseIndexMap(text, what)).toThrow(message);
    expect(() => parseIndexMap(text, what)).toThrow(what);
  });

  it('keeps retry maps under the results folder, numbered', () => {
    const location = indexMapLocation({ bucket: 'dst', key: 'out/p1/' }, 3);
    expect(location).toEqual({ bucket: 'dst', key: 'out/p1/retries/retry-3.json' });
    expect(retryNumberOfIndexMap(location.key)).toBe(3);
    expect(retryNumberOfIndexMap('out/p1/shards/shard-00001.tsv')).toBeUndefined();
  });
});
