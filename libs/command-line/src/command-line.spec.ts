import { CommandLineError, ExitCode } from '@wordbatch/errors';
import { combineFlags, COMMON_FLAG_NAMES, COMMON_FLAGS, flagName, formatCommandLine, omitFlags, parseCommandLine, type CommandLine } from './command-line';
import { flag } from './flag-kinds';

// A command line shaped like plan's: every kind of flag, two required, one with an older name.
// Built in a beforeEach, not when the spec loads, so that Stryker can tell which tests reach
// each mutant of the flag builders (docs/testing.md, "Writing tests Stryker can attribute").
function sampleFlags() {
  return {
    source: flag.s3Uri({ help: 'folder to count' }),
    destination: flag.s3Uri({ help: 'where results go', required: true }),
    plan: flag.s3Uri({ help: 'where the plan goes', required: true, aliases: ['plan-file'] }),
    shards: flag.integer(1, 10_000, { help: 'exactly N shards' }),
    shardBytes: flag.size({ help: 'about SIZE a shard' }),
    include: flag.texts('GLOB', { help: 'only matching names' }),
    tokenizer: flag.choice(['unicode', 'whitespace'] as const, { help: 'how words are split', default: 'unicode' }),
    perFile: flag.switch({ help: "also each file's counts" }),
    top: flag.integerWithDefault(1, 1000, { help: 'how many words', default: 100 }),
  } as const;
}

let FLAGS: ReturnType<typeof sampleFlags>;
let COMMAND: CommandLine<ReturnType<typeof sampleFlags>>;
beforeEach(() => {
  FLAGS = sampleFlags();
  COMMAND = {
    program: 'wordbatch sample',
    summary: 'a sample command',
    usage: ['wordbatch sample --destination URI --plan URI [options]'],
    flags: FLAGS,
    examples: [],
  };
});

const REQUIRED = ['--destination', 's3://out/results/', '--plan', 's3://out/plan.json'];

const NOTHING_ELSE = {
  source: undefined,
  destination: { bucket: 'out', key: 'results/' },
  plan: { bucket: 'out', key: 'plan.json' },
  shards: undefined,
  shardBytes: undefined,
  include: [],
  tokenizer: 'unicode',
  perFile: false,
  top: 100,
};

/** The error parseCommandLine throws for `argv`, as what a user sees: its message and exit code. */
function refusal(argv: readonly string[]): { name: string; message: string; exitCode: number } {
  try {
    parseCommandLine(COMMAND, argv);
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    return { name: error.name, message: error.message, exitCode: error.exitCode };
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

describe('parseCommandLine: what a command line gives', () => {
  it('reads every kind of flag, as --name value or --name=value, in any order', () => {
    const values = parseCommandLine(COMMAND, [
      '--per-file',
      '--shards=12',
      ...REQUIRED,
      '--include',
      '*.txt',
      '--tokenizer',
      'whitespace',
      '--include=*.md',
      '--source',
      's3://input/books/',
      '--shard-bytes',
      '512MiB',
      '--top',
      '7',
    ]);
    expect(values).toEqual({
      ...NOTHING_ELSE,
      source: { bucket: 'input', key: 'books/' },
      shards: 12,
      shardBytes: 512 * 1024 ** 2,
      include: ['*.txt', '*.md'],
      tokenizer: 'whitespace',
      perFile: true,
      top: 7,
    });
  });

  it('gives absent flags their default: undefined, [], false or the default value', () => {
    expect(parseCommandLine(COMMAND, REQUIRED)).toEqual(NOTHING_ELSE);
  });

  it('reads a flag given by its older name as the flag itself', () => {
    expect(parseCommandLine(COMMAND, ['--destination', 's3://out/results/', '--plan-file', 's3://out/old.json']).plan).toEqual({ bucket: 'out', key: 'old.json' });
  });

  it('joins a negative number to its flag, so the flag itself says what is wrong with it', () => {
    expect(refusal([...REQUIRED, '--shards', '-1'])).toEqual({ name: 'CommandLineError', message: '--shards must be between 1 and 10000, got -1', exitCode: ExitCode.Usage });
    expect(refusal([...REQUIRED, '--shards=-3'])).toMatchObject({ message: '--shards must be between 1 and 10000, got -3' });
    expect(refusal([...REQUIRED, '--shards', '-2x'])).toMatchObject({ message: '--shards must be a whole number, got "-2x"' });
    // Each joined value is taken once: the next argument is the next flag.
    expect(parseCommandLine(COMMAND, ['--include', '-1', ...REQUIRED, '--include', '-20', '--per-file']).include).toEqual(['-1', '-20']);
  });

  it('takes a negative number only as the value of a flag that has one', () => {
    expect(refusal([...REQUIRED, '--per-file', '-1']).message).toBe('unknown flag -1');
    expect(refusal([...REQUIRED, '--shards']).message).toBe('--shards needs a value');
    // A flag (even one with a dash and a digit in it) is not a value.
    expect(refusal([...REQUIRED, '--include', '--top-10']).message).toBe('--include needs a value; for one starting with "-" write --include=VALUE');
  });

  it('joins a negative number only to a flag, not to a value that ends in a flag\'s name', () => {
    expect(refusal([...REQUIRED, '--include', '**top', '-1']).message).toBe('unknown flag -1');
  });

  it('accepts a trailing -- with nothing after it', () => {
    expect(parseCommandLine(COMMAND, [...REQUIRED, '--'])).toEqual(NOTHING_ELSE);
  });

  it('names the flag (not its older name) in the errors its value gives', () => {
    expect(refusal(['--destination', 's3://out/', '--plan-file', 'out/plan.json']).message).toBe('--plan: "out/plan.json" is not an S3 URI: expected s3://bucket/key');
    expect(refusal([...REQUIRED, '--shard-bytes', 'lots']).message).toBe('--shard-bytes must be a size such as 512MiB or 4GiB, got "lots"');
    expect(refusal([...REQUIRED, '--tokenizer', 'bytes']).message).toBe('--tokenizer must be one of unicode, whitespace, got "bytes"');
  });
});

describe('parseCommandLine: one-line usage errors (exit 2) naming the flag', () => {
  it.each([
    [['--sahrds', '3'], 'unknown flag --sahrds (did you mean --shards?)'],
    [['--sahrds=3'], 'unknown flag --sahrds (did you mean --shards?)'],
    [['--plan-fil', 's3://out/p.json'], 'unknown flag --plan-fil (did you mean --plan-file?)'],
    [['--regoin', 'eu-west-1'], 'unknown flag --regoin (did you mean --region?)'],
    [['--endpoint', 'http://localhost:9000'], 'unknown flag --endpoint (did you mean --endpoint-url?)'],
    [['--no-per-file'], 'unknown flag --no-per-file (did you mean --per-file?)'],
    [['--output-format', 'json'], 'unknown flag --output-format'],
    [['-x'], 'unknown flag -x'],
    [['--plan'], '--plan needs a value'],
    [['--plan', '--shards', '3'], '--plan needs a value; for one starting with "-" write --plan=VALUE'],
    [['--tokenizer', '-x'], '--tokenizer needs a value; for one starting with "-" write --tokenizer=VALUE'],
    [['--per-file=yes'], '--per-file takes no value'],
    [['stray'], 'unexpected argument "stray" (flags take the form --name value)'],
    [['--plan', 's3://out/p.json', 'extra'], 'unexpected argument "extra" (flags take the form --name value)'],
    [['--', '--plan', 's3://out/p.json'], 'unexpected argument "--plan" (flags take the form --name value)'],
    [['--plan', 's3://out/a.json', '--plan', 's3://out/b.json'], '--plan was given more than once'],
    [['--plan', 's3://out/a.json', '--plan-file', 's3://out/b.json'], '--plan was given more than once'],
    [['--per-file', '--per-file'], '--per-file was given more than once'],
    [['--shards', '2', '--shards', '2'], '--shards was given more than once'],
  ])('%j: %s', (argv, message) => {
    expect(refusal([...REQUIRED, ...argv])).toEqual({ name: 'CommandLineError', message, exitCode: ExitCode.Usage });
  });

  it('names every required flag that is missing, in the definition order', () => {
    expect(refusal([])).toMatchObject({ message: '--destination and --plan are required', exitCode: ExitCode.Usage });
    expect(refusal(['--plan', 's3://out/p.json'])).toMatchObject({ message: '--destination is required' });
    expect(refusal(['--destination', 's3://out/'])).toMatchObject({ message: '--plan is required' });
  });

  it('checks the flags before the values: an unknown flag wins over a missing one', () => {
    expect(refusal(['--shards', 'many', '--sahrds', '3']).message).toBe('unknown flag --sahrds (did you mean --shards?)');
    expect(refusal(['--shards', 'many']).message).toBe('--destination and --plan are required');
  });

  it('repeats a repeatable flag as often as given, in order', () => {
    expect(parseCommandLine(COMMAND, [...REQUIRED, '--include', 'c', '--include', 'a', '--include', 'b']).include).toEqual(['c', 'a', 'b']);
  });
});

describe('formatCommandLine: the arguments a job command holds', () => {
  it('writes the given values in the definition order, omitting absent, undefined and default ones', () => {
    expect(
      formatCommandLine(COMMAND, {
        top: 7,
        perFile: true,
        include: ['*.txt', '*.md'],
        shards: 12,
        plan: { bucket: 'out', key: 'plan.json' },
        source: undefined,
        tokenizer: 'unicode',
      }),
    ).toEqual(['--plan', 's3://out/plan.json', '--shards', '12', '--include', '*.txt', '--include', '*.md', '--per-file', '--top', '7']);
    expect(formatCommandLine(COMMAND, {})).toEqual([]);
    expect(formatCommandLine(COMMAND, { perFile: false, include: [], top: 100, tokenizer: 'unicode' })).toEqual([]);
  });

  it('ignores keys the definition does not have', () => {
    const values = { shards: 3, jobs: 2 } as unknown as Partial<Record<keyof typeof FLAGS, never>>;
    expect(formatCommandLine(COMMAND, values)).toEqual(['--shards', '3']);
  });

  it('reads back as the values it was given, for every flag', () => {
    const samples = Object.fromEntries(Object.entries(FLAGS).map(([key, entry]) => [key, entry.sample]));
    expect(parseCommandLine(COMMAND, formatCommandLine(COMMAND, samples))).toEqual(samples);
    expect(parseCommandLine(COMMAND, formatCommandLine(COMMAND, NOTHING_ELSE as never))).toEqual(NOTHING_ELSE);
  });
});

describe('flag names and the common flags', () => {
  it('are the definition keys in kebab case', () => {
    expect([flagName('plan'), flagName('shardBytes'), flagName('maxExpandedBytes')]).toEqual(['plan', 'shard-bytes', 'max-expanded-bytes']);
  });

  it('lists the long names of the flags every program takes', () => {
    expect(COMMON_FLAG_NAMES).toEqual(['endpoint-url', 'region', 'profile', 'quiet', 'help', 'version']);
  });

  it('says what each common flag does', () => {
    const help = Object.fromEntries(COMMON_FLAGS.map((common) => [common.names, common.help]));
    expect(Object.keys(help)).toEqual(['--endpoint-url URL', '--region REGION', '--profile NAME', '--quiet', '-h, --help', '--version']);
    expect(help['--endpoint-url URL']).toMatch(/^endpoint of every AWS service .*AWS_ENDPOINT_URL_S3/);
    expect(help['--region REGION']).toBe('AWS region, as the AWS CLI; sets AWS_REGION');
    expect(help['--profile NAME']).toMatch(/^named profile of ~\/\.aws\/config .*; sets AWS_PROFILE$/);
    expect(help['--quiet']).toMatch(/^print only results and errors/);
    expect(help['-h, --help']).toBe('show this help');
    expect(help['--version']).toMatch(/^print the version/);
  });
});

describe('omitFlags and combineFlags: one program taking other stages flags', () => {
  let plan: ReturnType<typeof flag.s3Uri>;
  beforeEach(() => {
    plan = flag.s3Uri({ help: 'the plan', required: true });
  });

  it('omitFlags leaves out the keys named, and only those', () => {
    expect(Object.keys(omitFlags(FLAGS, ['plan', 'perFile']))).toEqual(['source', 'destination', 'shards', 'shardBytes', 'include', 'tokenizer', 'top']);
    expect(omitFlags(FLAGS, []).plan).toBe(FLAGS.plan);
  });

  it('combineFlags joins two sets, a shared key being one concept', () => {
    const shards = flag.integer(1, 10, { help: 'shards' });
    const combined = combineFlags({ plan, shards }, { plan, top: FLAGS.top });
    expect(Object.keys(combined)).toEqual(['plan', 'shards', 'top']);
    expect([combined.plan, combined.shards, combined.top]).toEqual([plan, shards, FLAGS.top]);
    // Another object for the same kind of value under the same name is the same concept.
    const otherPlan = flag.s3Uri({ help: 'the plan to read' });
    expect(combineFlags({ plan }, { plan: otherPlan }).plan).toBe(otherPlan);
  });

  it.each([
    ['another kind of value', () => flag.integer(1, 10, { help: 'a number' })],
    ['another constraint', () => ({ ...plan, constraintText: 's3://BUCKET' })],
    ['repeatable', () => flag.s3Uris({ help: 'plans' })],
  ])('combineFlags refuses a shared key that means %s', (_, other) => {
    expect(() => combineFlags({ plan }, { plan: other() })).toThrow('--plan means different things in two stages; give one of them another name');
  });

  it('combineFlags refuses a shared key whose values are shown differently (NAME, LABEL), with no constraint to tell them apart', () => {
    expect(() => combineFlags({ id: flag.text('NAME', { help: 'a name' }) }, { id: flag.text('LABEL', { help: 'a label' }) })).toThrow(
      '--id means different things in two stages; give one of them another name',
    );
  });
});
