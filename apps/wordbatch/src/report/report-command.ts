import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseFlags, parseS3Flag, requireFlag, type StageProgram } from '@wordbatch/cli';
import { UsageError } from '@wordbatch/errors';
import type { S3Path } from '@wordbatch/s3-path';

export interface ReportOptions {
  /** The run's results: in S3, or a local copy of that folder. */
  readonly results: { readonly s3: S3Path } | { readonly directory: string };
  /** The HTML file to write; undefined: report-<plan id>.html in the current directory. */
  readonly html?: string;
}

export const REPORT_HELP = `wordbatch report: one self-contained HTML page about a finished run

Usage:
  wordbatch report --results LOCATION [--html FILE]

Options:
  --results LOCATION   the run's results folder, s3://DST/out/<plan id>/ (or the destination
                       s3://DST/out/ when it holds one run), or a local copy of that folder
  --html FILE          where to write the page (default: report-<plan id>.html here)
  -h, --help           show this help

The page shows a bar chart of the top words, the totals, the skipped objects with their
reasons, and each shard's objects, bytes, duration and MB/s (stragglers marked). It reads
result.json, plan.json, shards/*.tsv (header lines only) and timings/*.json; the chart is
drawn with Chart.js, inlined, so the page needs no network. Prints the page's path.

Examples:
  npx wordbatch report --results s3://results/out/books-3f2a9c1d0e7b/
  npx wordbatch report --results s3://results/out/ --html /tmp/books.html
  aws s3 sync s3://results/out/books-3f2a9c1d0e7b/ run/ --exclude 'files/*' && npx wordbatch report --results run/

Exit codes: 0 written, 2 bad flag or unreadable result, 3 no result.json there (run merge), 4 access denied, 75 transient.
`;

const FLAGS = { results: { type: 'string' }, html: { type: 'string' } } as const;

export function parseReportOptions(argv: readonly string[]): ReportOptions {
  const flags = parseFlags(argv, FLAGS);
  const results = requireFlag(flags.results, 'results');
  const html = flags.html === undefined ? undefined : resolve(requireFlag(flags.html, 'html'));
  return {
    results: results.startsWith('s3://') ? { s3: parseS3Flag(results, 'results') } : { directory: resolve(results) },
    html,
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
