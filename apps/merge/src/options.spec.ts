import { parseMergeOptions } from './options';

describe('parseMergeOptions', () => {
  it('defaults to the seed filter', () => {
    const options = parseMergeOptions(['--source', 's3://dst-b/out/']);
    expect(options).toMatchObject({ top: 100, minLength: 3, minCount: 3, output: 'table', allowPartial: false, plan: undefined });
    expect([...options.stopwords]).toEqual(['and', 'the']);
  });

  it('reads a custom or empty stop list', () => {
    expect([...parseMergeOptions(['--source', 's3://dst-b/o/', '--stopwords', ' A, of ,,']).stopwords]).toEqual(['a', 'of']);
    expect(parseMergeOptions(['--source', 's3://dst-b/o/', '--stopwords', '']).stopwords.size).toBe(0);
  });

  it.each([
    [['--source', 's3://dst-b/o/', '--top', '-3'], '--top needs a value'],
    [['--source', 's3://dst-b/o/', '--min-count', 'x'], '--min-count must be a whole number'],
    [['--source', 's3://dst-b/o/', '--output', 'yaml'], '--output must be one of table, json, csv'],
    [['--source', 'dst-b/o/'], '--source: "dst-b/o/" is not an S3 URI'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseMergeOptions(argv)).toThrow(message);
  });
});
