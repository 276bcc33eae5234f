import { UsageError } from '@wordbatch/errors';
import { parseChoiceFlag, parseFlags, parseIntegerFlag, parseSizeFlag, requireFlag } from './flags';

const specs = {
  source: { type: 'string' },
  include: { type: 'string', multiple: true },
  'per-file': { type: 'boolean' },
} as const;

describe('parseFlags', () => {
  it('reads strings, repeated flags and booleans', () => {
    const flags = parseFlags(['--source', 's3://b/x', '--include=*.txt', '--include', '*.md', '--per-file'], specs);
    expect(flags).toEqual({ source: 's3://b/x', include: ['*.txt', '*.md'], 'per-file': true });
  });

  it.each([
    [['--sauce', 'x'], 'unknown flag --sauce'],
    [['--source'], '--source needs a value'],
    [['--per-file=yes'], '--per-file takes no value'],
    [['--source', 'a', '--source', 'b'], '--source was given more than once'],
    [['stray'], 'unexpected argument "stray"'],
    [['--source', '-x'], '--source needs a value (write --source=VALUE for one starting with "-")'],
  ])('rejects %j with one line', (argv, message) => {
    expect(() => parseFlags(argv, specs)).toThrow(UsageError);
    expect(() => parseFlags(argv, specs)).toThrow(message);
  });
});

describe('flag values', () => {
  it('requires a value', () => {
    expect(() => requireFlag(undefined, 'plan')).toThrow('--plan is required');
    expect(requireFlag('x', 'plan')).toBe('x');
  });

  it('parses bounded integers', () => {
    expect(parseIntegerFlag('12', 'shards', 1, 10_000)).toBe(12);
    expect(() => parseIntegerFlag('0', 'shards', 1, 10_000)).toThrow('--shards must be between 1 and 10000, got 0');
    expect(() => parseIntegerFlag('1.5', 'shards', 1, 10)).toThrow('must be a whole number');
    expect(() => parseIntegerFlag('-1', 'shards', 1, 10)).toThrow('--shards must be between 1 and 10, got -1');
  });

  it.each([
    ['1048576', 1048576],
    ['4GiB', 4 * 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['100kb', 102400],
    ['1.5k', 1536],
  ])('parses the size %s', (text, bytes) => {
    expect(parseSizeFlag(text, 'shard-bytes')).toBe(bytes);
  });

  it('rejects a bad size naming the flag', () => {
    expect(() => parseSizeFlag('lots', 'shard-bytes')).toThrow('--shard-bytes must be a size');
    expect(() => parseSizeFlag('0', 'shard-bytes')).toThrow('at least 1 byte');
  });

  it('checks choices', () => {
    expect(parseChoiceFlag('json', 'output', ['table', 'json'])).toBe('json');
    expect(() => parseChoiceFlag('xml', 'output', ['table', 'json'])).toThrow(
      '--output must be one of table, json, got "xml"',
    );
  });
});
