import { CommandLineError, ExitCode } from '@wordbatch/errors';
import { parseChoiceFlag, parseIntegerFlag, parseS3Flag, parseSizeFlag, requireFlag } from './flags';

/** What the user reads when `parse` refuses: the message, and that it is a usage error (exit 2). */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof CommandLineError) || error.exitCode !== ExitCode.Usage) throw error;
    return error.message;
  }
  throw new Error('it was accepted');
}

describe('requireFlag', () => {
  it('refuses an absent or empty value, naming the flag', () => {
    expect(refusal(() => requireFlag(undefined, 'plan'))).toBe('--plan is required');
    expect(refusal(() => requireFlag('', 'plan'))).toBe('--plan is required');
    expect(requireFlag('x', 'plan')).toBe('x');
  });
});

describe('parseIntegerFlag', () => {
  it('reads a whole number within [min, max], both ends included, spaces around it ignored', () => {
    expect([parseIntegerFlag('1', 'shards', 1, 10), parseIntegerFlag('10', 'shards', 1, 10), parseIntegerFlag(' 7 ', 'shards', 1, 10)]).toEqual([1, 10, 7]);
    expect(parseIntegerFlag('12', 'shards', 1, 10_000)).toBe(12);
  });

  it.each([
    ['0', '--shards must be between 1 and 10, got 0'],
    ['11', '--shards must be between 1 and 10, got 11'],
    ['9007199254740993', '--shards must be between 1 and 10, got 9007199254740993'],
    ['-1', '--shards must be between 1 and 10, got -1'],
    ['-12', '--shards must be between 1 and 10, got -12'],
    [' -5 ', '--shards must be between 1 and 10, got -5'],
    ['1.5', '--shards must be a whole number, got "1.5"'],
    ['1-5', '--shards must be a whole number, got "1-5"'],
    ['-5x', '--shards must be a whole number, got "-5x"'],
    ['', '--shards must be a whole number, got ""'],
    ['ten', '--shards must be a whole number, got "ten"'],
  ])('refuses %j: %s', (text, message) => {
    expect(refusal(() => parseIntegerFlag(text, 'shards', 1, 10))).toBe(message);
  });
});

describe('parseSizeFlag', () => {
  it.each([
    ['1', 1],
    ['1048576', 1048576],
    ['4GiB', 4 * 1024 ** 3],
    ['4 GiB ', 4 * 1024 ** 3],
    [' 4gb', 4 * 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['100kb', 102400],
    ['1.5k', 1536],
    ['1.25KiB', 1280],
    ['2T', 2 * 1024 ** 4],
    ['7b', 7],
  ])('reads %j as %i bytes (units are binary)', (text, bytes) => {
    expect(parseSizeFlag(text, 'shard-bytes')).toBe(bytes);
  });

  it.each([
    ['lots', '--shard-bytes must be a size such as 512MiB or 4GiB, got "lots"'],
    ['x5', '--shard-bytes must be a size such as 512MiB or 4GiB, got "x5"'],
    ['5x', '--shard-bytes must be a size such as 512MiB or 4GiB, got "5x"'],
    ['4GiBs', '--shard-bytes must be a size such as 512MiB or 4GiB, got "4GiBs"'],
    ['4P', '--shard-bytes must be a size such as 512MiB or 4GiB, got "4P"'],
    ['-1', '--shard-bytes must be a size such as 512MiB or 4GiB, got "-1"'],
    ['1.', '--shard-bytes must be a size such as 512MiB or 4GiB, got "1."'],
    ['0', '--shard-bytes must be at least 1 byte, got "0"'],
    ['0.4', '--shard-bytes must be at least 1 byte, got "0.4"'],
    ['8192T', '--shard-bytes must be less than 8PiB, got "8192T"'],
    ['99999999999999999999', '--shard-bytes must be less than 8PiB, got "99999999999999999999"'],
  ])('refuses %j: %s', (text, message) => {
    expect(refusal(() => parseSizeFlag(text, 'shard-bytes'))).toBe(message);
  });

  it('takes the largest exact byte count, just under 8PiB', () => {
    expect(parseSizeFlag(String(Number.MAX_SAFE_INTEGER), 'shard-bytes')).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('parseChoiceFlag', () => {
  it('takes only a listed value, exactly as written', () => {
    expect(parseChoiceFlag('json', 'output', ['table', 'json'])).toBe('json');
    expect(refusal(() => parseChoiceFlag('xml', 'output', ['table', 'json']))).toBe('--output must be one of table, json, got "xml"');
    expect(refusal(() => parseChoiceFlag('JSON', 'output', ['table', 'json']))).toBe('--output must be one of table, json, got "JSON"');
  });
});

describe('parseS3Flag', () => {
  it('reads an S3 URI, or says what is wrong with it after the flag name', () => {
    expect(parseS3Flag('s3://bucket/plans/p.json', 'plan')).toEqual({ bucket: 'bucket', key: 'plans/p.json' });
    expect(refusal(() => parseS3Flag('bucket/plans', 'plan'))).toBe('--plan: "bucket/plans" is not an S3 URI: expected s3://bucket/key');
    expect(refusal(() => parseS3Flag('', 'plan'))).toBe('--plan is required');
    expect(refusal(() => parseS3Flag(undefined, 'plan'))).toBe('--plan is required');
  });
});
