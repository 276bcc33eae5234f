import { resolve } from 'node:path';
import { UsageError } from '@wordbatch/errors';
import { parseReportOptions, REPORT_HELP } from './report-command';

describe('wordbatch report flags', () => {
  it('takes an S3 results folder or a local one, and an optional page path', () => {
    expect(parseReportOptions(['--results', 's3://dst/out/p-1/'])).toEqual({ results: { s3: { bucket: 'dst', key: 'out/p-1/' } }, html: undefined });
    expect(parseReportOptions(['--results', 'run', '--html', 'r.html'])).toEqual({ results: { directory: resolve('run') }, html: resolve('r.html') });
  });

  it.each([
    [[], '--results is required'],
    [['--results', 's3://'], '--results: '],
    [['--results', 'run', '--html', ''], '--html needs a value'],
    [['--results', 'run', '--htm', 'x'], 'unknown flag --htm (did you mean --html?)'],
    [['--results', 'run', '--out', 'x'], 'unknown flag --out'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseReportOptions(argv)).toThrow(UsageError);
    expect(() => parseReportOptions(argv)).toThrow(message);
  });

  it('documents every flag and the exit codes in its help', () => {
    for (const flag of ['--results', '--html', '--help']) expect(REPORT_HELP).toContain(flag);
    expect(REPORT_HELP).toMatch(/Exit codes: 0 written, 2 .*, 3 .*/);
  });
});
