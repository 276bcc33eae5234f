import type { CommandLine } from './command-line';
import { COMMON_FLAGS } from './command-line';
import { flag } from './flag-kinds';
import { renderCommonOptions, renderFlagTable, renderHelp } from './help';

// Built in a beforeEach, not when the spec loads, so that Stryker can attribute the flag
// builders' mutants to tests (docs/testing.md).
const sampleFlags = () => ({
  source: flag.s3Uri({ help: 'folder to count', required: true }),
  format: flag.choice(['table', 'json'] as const, { help: 'what stdout | carries', default: 'table', aliases: ['output'] }),
  include: flag.texts('GLOB', { help: 'only <names> matching' }),
  perFile: flag.switch({ help: 'also each file' }),
  aVeryLongFlagNameIndeed: flag.integer(1, 9, { help: 'wraps to its own line' }),
});

const sampleDefinition = (): CommandLine<ReturnType<typeof sampleFlags>> => ({
  program: 'wordbatch sample',
  summary: 'a sample command',
  usage: ['wordbatch sample --source URI [options]'],
  description: 'What it does.',
  flags: sampleFlags(),
  positional: { name: 'FOLDER', help: 'a folder' },
  environment: [{ name: 'AWS_REGION', help: 'region' }],
  examples: ['wordbatch sample --source s3://b/x'],
  epilogue: 'Exit codes: 0 ok.',
});

describe('renderHelp', () => {
  let help: string;
  beforeEach(() => {
    help = renderHelp(sampleDefinition());
  });

  it('has the sections in order: usage, description, options, common options, environment, examples, epilogue', () => {
    const order = ['Usage:', 'What it does.', 'Options:', 'Common options:', 'Environment:', 'Examples:', 'Exit codes: 0 ok.'].map((text) => help.indexOf(text));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(help.startsWith('wordbatch sample: a sample command\n')).toBe(true);
  });

  it('writes each flag with its value, constraint, default, repeatability and older names', () => {
    expect(help).toContain(`${'  --source URI'.padEnd(28)}folder to count [required; s3://BUCKET/KEY]\n`);
    expect(help).toContain(`${'  --format NAME'.padEnd(28)}what stdout | carries [table, json; default table; also --output (older name)]\n`);
    expect(help).toContain(`${'  --include GLOB'.padEnd(28)}only <names> matching [repeatable]\n`);
    expect(help).toContain(`${'  --per-file'.padEnd(28)}also each file\n`);
    expect(help).toContain(`${'  FOLDER'.padEnd(28)}a folder\n`);
  });

  it('puts a label too long for the column on its own line, the text below it', () => {
    expect(help).toContain(`  --a-very-long-flag-name-indeed N\n${' '.repeat(28)}wraps to its own line [1-9]\n`);
  });

  it('names the common flags every program takes', () => {
    for (const name of ['--endpoint-url URL', '--region REGION', '--profile NAME', '--quiet', '-h, --help', '--version']) expect(help).toContain(`  ${name}`);
  });
});

describe('renderHelp of a whole command', () => {
  it('is exactly this text: sections separated by one blank line, surrounding blank lines of the texts trimmed', () => {
    const help = renderHelp({
      program: 'wordbatch tiny',
      summary: 'a tiny command',
      usage: ['wordbatch tiny --plan URI', 'wordbatch tiny --help'],
      description: '  Indented first line.\nSecond line.\n\n',
      flags: {
        plan: flag.s3Uri({ help: 'the plan', required: true, aliases: ['plan-file', 'p-file'] }),
        stopwords: flag.wordSet({ help: 'words not counted', default: new Set(['the']), defaultText: 'the' }),
      },
      environment: [],
      examples: ['wordbatch tiny --plan s3://b/p.json', 'wordbatch tiny --help'],
      epilogue: '  Exit codes:\n  0 ok\n\n',
    });
    expect(help).toBe(
      [
        'wordbatch tiny: a tiny command',
        '',
        'Usage:',
        '  wordbatch tiny --plan URI',
        '  wordbatch tiny --help',
        '',
        '  Indented first line.',
        'Second line.',
        '',
        'Options:',
        `${'  --plan URI'.padEnd(28)}the plan [required; s3://BUCKET/KEY; also --plan-file, --p-file (older name)]`,
        `${'  --stopwords LIST'.padEnd(28)}words not counted [comma-separated; default the]`,
        '',
        'Common options:',
        renderCommonOptions().trimEnd(),
        '',
        'Examples:',
        '  wordbatch tiny --plan s3://b/p.json',
        '  wordbatch tiny --help',
        '',
        '  Exit codes:',
        '  0 ok',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the optional sections a definition does not have', () => {
    const help = renderHelp({ program: 'wordbatch bare', summary: 'bare', usage: ['wordbatch bare'], flags: {}, examples: ['wordbatch bare'] });
    expect(help).toBe(`wordbatch bare: bare\n\nUsage:\n  wordbatch bare\n\nOptions:\n\nCommon options:\n${renderCommonOptions()}\nExamples:\n  wordbatch bare\n`);
  });

  it('keeps a label of up to 24 characters on the line of its text, and puts a longer one on its own', () => {
    const help = renderHelp({
      program: 'p',
      summary: 's',
      usage: [],
      flags: { abcdefghijklmnopqrst: flag.integer(1, 9, { help: 'fits' }), abcdefghijklmnopqrstu: flag.integer(1, 9, { help: 'does not fit' }) },
      examples: [],
    });
    expect(['--abcdefghijklmnopqrst N'.length, '--abcdefghijklmnopqrstu N'.length]).toEqual([24, 25]);
    expect(help).toContain(`\n  --abcdefghijklmnopqrst N  fits [1-9]\n`);
    expect(help).toContain(`\n  --abcdefghijklmnopqrstu N\n${' '.repeat(28)}does not fit [1-9]\n`);
  });
});

describe('renderCommonOptions', () => {
  it('is one row per common flag, its text in the column or below a long label', () => {
    const lines = renderCommonOptions().split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toEqual(COMMON_FLAGS.map((common) => `  ${common.names.padEnd(26)}${common.help}`));
  });
});

describe('renderFlagTable', () => {
  it('is one Markdown row per flag, with | and < escaped', () => {
    expect(renderFlagTable(sampleDefinition()).split('\n')).toEqual([
      '| flag | value | default | what |',
      '|---|---|---|---|',
      '| `--source` | URI (s3://BUCKET/KEY) | required | folder to count |',
      '| `--format`, `--output` | table\\|json | table | what stdout \\| carries |',
      '| `--include` … | GLOB |  | only \\<names> matching |',
      '| `--per-file` |  |  | also each file |',
      '| `--a-very-long-flag-name-indeed` | N (1-9) |  | wraps to its own line |',
      '',
    ]);
  });
});
