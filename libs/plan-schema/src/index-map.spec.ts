import fc from 'fast-check';
import { formatIndexMap, IndexMapError, MAX_INDEX_MAP_BYTES, parseIndexMap } from './index-map';
import { MAX_SHARDS } from './limits';
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

  it('names the error, and says where only for an entry', () => {
    expect(() => parseIndexMap('[]', what)).toThrow(new IndexMapError(`${what}: lists no shard`));
    expect(String(new IndexMapError('x'))).toBe('IndexMapError: x');
  });

  it('refuses more than MAX_SHARDS entries, and the largest map fits under MAX_INDEX_MAP_BYTES', () => {
    const largest = Array.from({ length: MAX_SHARDS }, (_, index) => index);
    expect(Buffer.byteLength(formatIndexMap(largest))).toBeLessThan(MAX_INDEX_MAP_BYTES);
    expect(() => parseIndexMap(formatIndexMap([...largest, MAX_SHARDS]), what)).toThrow(`${what}: lists more than ${MAX_SHARDS} shards`);
  });

  it('keeps retry maps under the results folder, numbered', () => {
    const location = indexMapLocation({ bucket: 'dst', key: 'out/p1/' }, 3);
    expect(location).toEqual({ bucket: 'dst', key: 'out/p1/retries/retry-3.json' });
    expect(retryNumberOfIndexMap(location.key)).toBe(3);
    expect(retryNumberOfIndexMap('out/p1/shards/shard-00001.tsv')).toBeUndefined();
  });
});
