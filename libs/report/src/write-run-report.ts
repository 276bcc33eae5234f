import { loadChartLibrary } from './chart-library';
import { loadRunReport, locateRun } from './load-run';
import { renderReportHtml } from './render-html';
import type { RunFolder } from './run-folder';
import { writeReportFile } from './write-report';

export interface WrittenReport {
  readonly path: string;
  readonly planId: string;
  /** Where the run's results were read from. */
  readonly location: string;
  readonly words: number;
  readonly shards: number;
}

/**
 * Finds the run in `folder`, reads it and writes its report to the path `pathFor` gives for
 * its plan id. Used by `wordbatch report` and by the local run, which reports before its
 * embedded S3 server goes away.
 */
export async function writeRunReport(folder: RunFolder, pathFor: (planId: string) => string, signal: AbortSignal): Promise<WrittenReport> {
  const run = await locateRun(folder);
  const report = await loadRunReport(run, signal);
  const html = renderReportHtml(report, await loadChartLibrary());
  const path = pathFor(report.result.planId);
  await writeReportFile(path, html);
  return { path, planId: report.result.planId, location: run.location, words: report.result.words.length, shards: report.shards.length };
}
