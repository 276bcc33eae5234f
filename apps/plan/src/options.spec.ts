import { DEFAULT_SHARD_BYTES, parsePlanOptions } from './options';

const required = ['--source', 's3://src-b/docs', '--destination', 's3://dst-b/out/', '--plan', 's3://dst-b/plans/p.json'];

describe('parsePlanOptions', () => {
  it('applies the defaults', () => {
    expect(parsePlanOptions(required)).toEqual({
      source: { bucket: 'src-b', key: 'docs' },
      destination: { bucket: 'dst-b', key: 'out/' },
      plan: { bucket: 'dst-b', key: 'plans/p.json' },
      shards: undefined,
      shardBytes: DEFAULT_SHARD_BYTES,
      include: [],
      exclude: [],
      tokenizer: 'unicode',
      perFile: false,
    });
  });

  it('reads every flag', () => {
    const options = parsePlanOptions([...required, '--shards', '12', '--include', '*.txt', '--exclude', 'x/*', '--tokenizer', 'whitespace', '--per-file']);
    expect(options).toMatchObject({ shards: 12, include: ['*.txt'], exclude: ['x/*'], tokenizer: 'whitespace', perFile: true });
  });

  it.each([
    [['--destination', 's3://dst-b/out/', '--plan', 's3://dst-b/p.json'], '--source is required'],
    [[...required, '--shards', '2', '--shard-bytes', '1G'], 'cannot be used together'],
    [[...required, '--shards', '0'], '--shards must be between 1 and 10000'],
    [[...required, '--tokenizer', 'icu'], '--tokenizer must be one of unicode, whitespace'],
  ])('rejects %j', (argv, message) => {
    expect(() => parsePlanOptions(argv)).toThrow(message);
  });
});
