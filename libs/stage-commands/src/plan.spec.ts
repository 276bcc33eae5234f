import { DEFAULT_TEXT_SETTINGS } from '@wordbatch/plan-schema';
import { DEFAULT_SHARD_BYTES, parsePlanCommand as parsePlanOptions } from './plan';

const required = ['--source', 's3://src-b/docs', '--destination', 's3://dst-b/out/', '--plan', 's3://dst-b/plans/p.json'];

describe('parsePlanOptions', () => {
  it('applies the defaults', () => {
    expect(parsePlanOptions(required)).toEqual({
      input: { kind: 'prefix', source: { bucket: 'src-b', key: 'docs' } },
      destination: { bucket: 'dst-b', key: 'out/' },
      plan: { bucket: 'dst-b', key: 'plans/p.json' },
      shards: undefined,
      shardBytes: DEFAULT_SHARD_BYTES,
      include: [],
      exclude: [],
      tokenizer: 'unicode',
      perFile: false,
      allowMissing: false,
      text: DEFAULT_TEXT_SETTINGS,
      listConcurrency: 16,
      listDepth: 3,
    });
  });

  it('reads the listing flags', () => {
    expect(parsePlanOptions([...required, '--list-concurrency', '4', '--list-depth', '0'])).toMatchObject({ listConcurrency: 4, listDepth: 0 });
  });

  it('reads the text flags, recording an encoding by its WHATWG name', () => {
    const options = parsePlanOptions([
      ...required,
      ...['--encoding', 'Latin1', '--strict-encoding', '--max-expansion', '50', '--max-expanded-bytes', '2GiB'],
    ]);
    expect(options.text).toEqual({ encoding: 'windows-1252', strictEncoding: true, maxExpansionRatio: 50, maxExpandedBytes: 2 * 1024 ** 3 });
    expect(parsePlanOptions([...required, '--encoding', 'sjis']).text.encoding).toBe('shift_jis');
  });

  it.each([
    [['--encoding', 'klingon'], /^--encoding: "klingon" is not an encoding label/],
    [['--max-expansion', '0'], /^--max-expansion must be between 1 and/],
    [['--max-expanded-bytes', 'lots'], /^--max-expanded-bytes must be a size/],
  ])('refuses %j', (flags, message) => {
    expect(() => parsePlanOptions([...required, ...flags])).toThrow(message);
  });

  it('reads every flag', () => {
    const options = parsePlanOptions([...required, '--shards', '12', '--include', '*.txt', '--exclude', 'x/*', '--tokenizer', 'whitespace', '--per-file']);
    expect(options).toMatchObject({ shards: 12, include: ['*.txt'], exclude: ['x/*'], tokenizer: 'whitespace', perFile: true });
  });

  it('reads an inventory manifest, a key list, and a .txt list with the --source it is relative to', () => {
    const rest = required.slice(2);
    expect(parsePlanOptions(['--manifest', 's3://inv/src-b/daily/2026-01-01T01-00Z/manifest.json', ...rest]).input).toEqual({
      kind: 'manifest',
      manifest: { bucket: 'inv', key: 'src-b/daily/2026-01-01T01-00Z/manifest.json' },
    });
    expect(parsePlanOptions(['--keys', 's3://lists/todo.csv.gz', '--allow-missing', ...rest])).toMatchObject({
      input: { kind: 'keys', list: { bucket: 'lists', key: 'todo.csv.gz' }, source: undefined },
      allowMissing: true,
    });
    expect(parsePlanOptions(['--keys', 's3://lists/todo.txt', ...required]).input).toEqual({
      kind: 'keys',
      list: { bucket: 'lists', key: 'todo.txt' },
      source: { bucket: 'src-b', key: 'docs' },
    });
  });

  it.each([
    [['--destination', 's3://dst-b/out/', '--plan', 's3://dst-b/p.json'], '--source is required (or --manifest, or --keys)'],
    [[...required, '--manifest', 's3://inv/manifest.json'], '--manifest cannot be combined with --source'],
    [[...required.slice(2), '--manifest', 's3://inv/manifest.json', '--keys', 's3://lists/k.csv'], '--manifest cannot be combined with --keys'],
    [[...required, '--allow-missing'], '--allow-missing applies to --manifest and --keys only'],
    [[...required.slice(2), '--keys', 'lists/todo.csv'], '--keys'],
    [[...required, '--shards', '2', '--shard-bytes', '1G'], 'cannot be used together'],
    [[...required, '--shards', '0'], '--shards must be between 1 and 10000'],
    [[...required, '--tokenizer', 'icu'], '--tokenizer must be one of unicode, whitespace'],
    [[...required, '--list-concurrency', '0'], '--list-concurrency must be between 1 and 256'],
    [[...required, '--list-depth', 'x'], '--list-depth'],
  ])('rejects %j', (argv, message) => {
    expect(() => parsePlanOptions(argv)).toThrow(message);
  });
});
