import { CommandLineError } from '@wordbatch/errors';
import { parseMergeCommand } from './merge';

describe('parseMergeCommand', () => {
  it('defaults to the seed filter', () => {
    const options = parseMergeCommand(['--destination', 's3://dst-b/out/']);
    expect(options).toMatchObject({ top: 100, minLength: 3, minCount: 3, format: 'table', allowPartial: false, plan: undefined });
    expect([...options.stopwords]).toEqual(['and', 'the']);
  });

  it('still reads the older names --source and --output', () => {
    expect(parseMergeCommand(['--source', 's3://dst-b/out/', '--output', 'json'])).toMatchObject({ destination: { bucket: 'dst-b', key: 'out/' }, format: 'json' });
  });

  it('reads a custom or empty stop list', () => {
    expect([...parseMergeCommand(['--destination', 's3://dst-b/o/', '--stopwords', ' A, of ,,']).stopwords]).toEqual(['a', 'of']);
    expect(parseMergeCommand(['--destination', 's3://dst-b/o/', '--stopwords', '']).stopwords.size).toBe(0);
  });

  it.each([
    [['--destination', 's3://dst-b/o/', '--top', '-3'], '--top must be between 1 and 1000000000, got -3'],
    [['--destination', 's3://dst-b/o/', '--top', '0'], '--top must be between 1 and 1000000000, got 0'],
    [['--destination', 's3://dst-b/o/', '--min-count', 'x'], '--min-count must be a whole number'],
    [['--destination', 's3://dst-b/o/', '--format', 'yaml'], '--format must be one of table, json, csv'],
    [['--destination', 's3://dst-b/o/', '--output', 'yaml'], '--format must be one of table, json, csv'],
    [['--destination', 'dst-b/o/'], '--destination: "dst-b/o/" is not an S3 URI'],
    [['--destination', 's3://dst-b/o/', '--tpo', '3'], 'unknown flag --tpo (did you mean --top?)'],
  ])('rejects %j with one line naming the flag', (argv, message) => {
    expect(() => parseMergeCommand(argv)).toThrow(CommandLineError);
    expect(() => parseMergeCommand(argv)).toThrow(message);
  });
});
