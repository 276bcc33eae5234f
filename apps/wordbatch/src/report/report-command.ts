import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { flag, parseCommandLine, parseS3Flag, renderHelp, type CommandLine, type StageProgram } from '@wordbatch/cli';
import { CommandLineError, UsageError } from '@wordbatch/errors';
import { AWS_ENVIRONMENT, LOG_ENVIRONMENT } from '@wordbatch/stage-commands';
import type { S3Path } from '@wordbatch/s3-path';

export interface ReportOptions {
  /** The run's results: in S3, or a local copy of that folder. */
  readonly results: { readonly s3: S3Path } | { readonly directory: string };
  /** The HTML file to write; undefined: report-<plan id>.html in the current directory. */
  readonly html?: string;
}

const REPORT_FLAGS = {
  results: flag.required(
    flag.text('LOCATION', {
      help: "the run's results folder, s3://DST/out/<plan id>/ (or the destination s3://DST/out/ when it holds one run), or a local copy of that folder",
      check: (text, name) => {
        if (text === '') throw new CommandLineError(`${name} needs a value`);
        if (text.startsWith('s3://')) parseS3Flag(text, name.replace(/^--/, ''));
      },
    }),
  ),
  html: flag.text('FILE', {
    help: 'where to write the page (default: report-<plan id>.html in the current folder)',
    check: (text, name) => {
      if (text === '') throw new CommandLineError(`${name} needs a value`);
    },
  }),
} as const;

export const REPORT_COMMAND: CommandLine<typeof REPORT_FLAGS> = {
  program: 'wordbatch report',
  summary: 'one self-contained HTML page about a finished run',
  usage: ['wordbatch report --results LOCATION [--html FILE]'],
  description: `The page shows a bar chart of the top words, the totals, the skipped objects with their
reasons, and each shard's objects, bytes, duration and MB/s (stragglers marked). It reads
result.json, plan.json, shards/*.tsv (header lines only) and timings/*.json; the chart is
drawn with Chart.js, inlined, so the page needs no network. Prints the page's path.`,
  flags: REPORT_FLAGS,
  environment: [...AWS_ENVIRONMENT, LOG_ENVIRONMENT],
  examples: [
    'npx wordbatch report --results s3://results/out/books-3f2a9c1d0e7b/',
    'npx wordbatch report --results s3://results/out/ --html /tmp/books.html',
    "aws s3 sync s3://results/out/books-3f2a9c1d0e7b/ run/ --exclude 'files/*' && npx wordbatch report --results run/",
  ],
  epilogue: 'Exit codes: 0 written, 2 bad flag or unreadable result, 3 no result.json there (run merge), 4 access denied, 75 transient.',
};

export const REPORT_HELP = renderHelp(REPORT_COMMAND);

export function parseReportOptions(argv: readonly string[]): ReportOptions {
  const { results, html } = parseCommandLine(REPORT_COMMAND, argv);
  return {
    results: results.startsWith('s3://') ? { s3: parseS3Flag(results, 'results') } : { directory: resolve(results) },
    html: html === undefined ? undefined : resolve(html),
  };
}

export const reportCommand: StageProgram<ReportOptions> = {
  name: 'report',
  help: REPORT_HELP,
  parse: (argv) => parseReportOptions(argv),
  async execute(options, { env, stdout, logger, signal }) {
    // Loaded on demand, so that --help and usage errors answer at once.
    const { localRunFolder, s3RunFolder, writeRunReport } = await import('@wordbatch/report');
    const pathFor = (planId: string) => options.html ?? resolve(`report-${planId}.html`);
    if ('directory' in options.results) {
      const { directory } = options.results;
      if (!(await stat(directory).catch(() => undefined))?.isDirectory()) throw new UsageError(`--results ${directory} is not a folder`);
      const written = await writeRunReport(localRunFolder(directory), pathFor, signal);
      logger.info({ ...written }, 'Report:Written');
      stdout.write(`${written.path}\n`);
      return;
    }
    const { withObjectStore } = await import('@wordbatch/s3-store');
    const { s3 } = options.results;
    const written = await withObjectStore(env, (store) => writeRunReport(s3RunFolder(store, s3, signal), pathFor, signal));
    logger.info({ ...written }, 'Report:Written');
    stdout.write(`${written.path}\n`);
  },
};
