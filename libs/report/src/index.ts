export { loadRunReport, locateRun } from './load-run';
export type { RunReport, ShardReport } from './load-run';
export { renderReportHtml } from './render-html';
export { localRunFolder, s3RunFolder } from './run-folder';
export type { RunFolder } from './run-folder';
export { writeRunReport } from './write-run-report';
export type { WrittenReport } from './write-run-report';
