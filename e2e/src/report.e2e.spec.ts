// The HTML report, opened in headless Chromium (Debian's package, tools/browser/install-chromium.sh):
// written by `wordbatch report` from a run in the embedded S3 server, and by `wordbatch local`
// (what `npm start` runs). Also checks that no stage bundle carries the report or its chart library.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openReport } from './browser';
import { DIST, putObjects, runProgram, startTestS3, WORKSPACE, type TestS3 } from './harness';

const SRC = 'report-source';
const DST = 'report-results';
const documentsDir = join(WORKSPACE, 'documents');
const documents = readdirSync(documentsDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
  .map((file) => [relative(documentsDir, file).split(sep).join('/'), readFileSync(file, 'utf8')] as const);
/** The colour the page draws word bars in (libs/report/src/page-assets.ts), as canvas RGBA. */
const BAR_RGBA = [0x4c, 0x78, 0xa8, 255];
const SHARDS = 3;
const TOP = 15;

let s3: TestS3;
let browser: Browser;
let directory: string;
let result: { words: Array<{ word: string; count: number }>; totals: Record<string, number> };

const formatInteger = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-report-e2e-'));
  [s3, browser] = await Promise.all([startTestS3([SRC, DST]), launchChromium()]);
  await putObjects(s3.store, SRC, [...documents.map(([name, text]) => [`docs/${name}`, text] as const), ['docs/image.bin', 'GIF89a\0\0binary']]);
  const plan = `s3://${DST}/plans/run.json`;
  expect((await s3.run('plan', ['--source', `s3://${SRC}/docs`, '--destination', `s3://${DST}/out/`, '--plan', plan, '--shards', String(SHARDS)])).code).toBe(0);
  const migrations = await Promise.all([...Array(SHARDS).keys()].map((index) => s3.run('migrate', ['--plan', plan, '--index', String(index)])));
  expect(migrations.map((run) => run.code)).toEqual(Array(SHARDS).fill(0));
  const merge = await s3.run('merge', ['--source', `s3://${DST}/out/`, '--top', String(TOP), '--output', 'json']);
  expect(merge.code).toBe(0);
  result = JSON.parse(merge.stdout);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await s3?.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('wordbatch report', () => {
  it('writes one page that draws a bar for every top word, shows the totals and each shard, and logs no error', async () => {
    const html = join(directory, 'run.html');
    const run = await s3.run('wordbatch', ['report', '--results', `s3://${DST}/out/`, '--html', html]);
    expect(run.errorLine).toBeUndefined();
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${html}\n`);

    const page = await openReport(browser, html);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([`file://${html}`]);
    expect(result.words).toHaveLength(TOP);
    expect(page.wordLabels).toEqual(result.words.map(({ word }) => word));
    expect(page.wordBarPixels).toEqual(Array(TOP).fill(BAR_RGBA));
    expect(page.totals).toMatchObject({
      files: formatInteger(result.totals['files']),
      words: formatInteger(result.totals['words']),
      'distinct words': formatInteger(result.totals['distinctWords']),
      'skipped files': '1',
    });
    expect(page.totals['bytes']).toMatch(new RegExp(`^${formatInteger(result.totals['bytes'])}`));
    expect(page.shardBars).toBe(SHARDS);
    expect(page.shardRows).toBe(SHARDS);
    expect(page.skippedText).toContain('image.bin');
    expect(page.skippedText).toMatch(/binary/);
  });

  it('fails with exit 3 and one line when the folder holds no result', async () => {
    const run = await s3.run('wordbatch', ['report', '--results', `s3://${DST}/plans/`, '--html', join(directory, 'none.html')]);
    expect(run.code).toBe(3);
    expect(run.errorLine).toBe(`wordbatch report: error: no result.json in s3://${DST}/plans/ or its sub-folders: run merge first`);
    expect(existsSync(join(directory, 'none.html'))).toBe(false);
  });
});

describe('wordbatch local (npm start)', () => {
  it('writes the report into its data folder and names it in its log, stdout keeping only the table', async () => {
    const dataDir = join(directory, 'local');
    const run = await runProgram('wordbatch', ['local', documentsDir, '--shards', '2', '--parallel', '2', '--data-dir', dataDir, '--output', 'csv'], {}, [
      '--openssl-legacy-provider',
    ]);
    // Not on a terminal, the report's path is in the Local:Done log line, not a plain line.
    expect(run.errorLine).toBeUndefined();
    expect(run.code).toBe(0);
    const report = String(run.logs.find((log) => log['event'] === 'Local:Done')?.['report']);
    expect(report.startsWith(dataDir) && report.endsWith('/report.html')).toBe(true);
    expect(run.stdout.split('\n')[0]).toBe('word,count');
    const page = await openReport(browser, report);
    expect(page.errors).toEqual([]);
    expect(page.wordLabels).toEqual(run.stdout.trim().split('\n').slice(1).map((line) => line.split(',')[0]));
    expect(page.shardBars).toBe(2);
  });
});

describe('the stage bundles', () => {
  /** Every source file a bundle was built from, chunks included (their maps list them even though the code is compressed). */
  function bundledSources(program: string): string[] {
    const folder = join(DIST, program);
    return readdirSync(folder)
      .filter((name) => name.endsWith('.js.map'))
      .flatMap((name) => (JSON.parse(readFileSync(join(folder, name), 'utf8')) as { sources: string[] }).sources);
  }
  const reportCode = (source: string) => /libs\/report\/|node_modules\/chart\.js\//.test(source);

  it.each(['plan', 'migrate', 'merge'])('%s carries neither the report nor Chart.js', (stage) => {
    const sources = bundledSources(stage);
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter(reportCode)).toEqual([]);
    for (const name of readdirSync(join(DIST, stage))) expect(readFileSync(join(DIST, stage, name), 'utf8')).not.toContain('Chart.js v');
  });

  it('wordbatch carries the report (the check above can see it)', () => {
    expect(bundledSources('wordbatch').filter(reportCode).length).toBeGreaterThan(5);
  });
});
