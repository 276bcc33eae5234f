import type { CommandLine } from './command-line';
import { flag } from './flag-kinds';
import { renderFlagTable, renderHelp } from './help';

const FLAGS = {
  source: flag.s3Uri({ help: 'folder to count', required: true }),
  format: flag.choice(['table', 'json'] as const, { help: 'what stdout | carries', default: 'table', aliases: ['output'] }),
  include: flag.texts('GLOB', { help: 'only <names> matching' }),
  perFile: flag.switch({ help: 'also each file' }),
  aVeryLongFlagNameIndeed: flag.integer(1, 9, { help: 'wraps to its own line' }),
} as const;

const DEFINITION: CommandLine<typeof FLAGS> = {
  program: 'wordbatch sample',
  summary: 'a sample command',
  usage: ['wordbatch sample --source URI [options]'],
  description: 'What it does.',
  flags: FLAGS,
  positional: { name: 'FOLDER', help: 'a folder' },
  environment: [{ name: 'AWS_REGION', help: 'region' }],
  examples: ['wordbatch sample --source s3://b/x'],
  epilogue: 'Exit codes: 0 ok.',
};

describe('renderHelp', () => {
  const help = renderHelp(DEFINITION);

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

describe('renderFlagTable', () => {
  it('is one Markdown row per flag, with | and < escaped', () => {
    expect(renderFlagTable(DEFINITION).split('\n')).toEqual([
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
