import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Chart.js's single-file browser build (UMD, minified, about 200 KB), which the report inlines.
 * Read from the installed package when a report is written, not bundled: the wordbatch CLI
 * runs from a clone, and the stage programs, which never write reports, never see it.
 * The package exports only its module builds, so the file is found beside the main one.
 */
export async function loadChartLibrary(): Promise<string> {
  const main = require.resolve('chart.js');
  return readFile(join(dirname(main), 'chart.umd.min.js'), 'utf8');
}
