import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, installed by tools/browser/install-chromium.sh (as podman is by ci-images.sh). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Starts headless Chromium with nothing of its own going to the network: no background
 * requests, no component or sync updates. Playwright adds the headless mode, an empty
 * temporary profile (--user-data-dir) and --no-sandbox (it runs as root here).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run tools/browser/install-chromium.sh as root (.ci/run does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** What a person would see of the report page, read from the page itself once drawn. */
export interface RenderedReport {
  /** Every message the page logged as an error, and every uncaught exception. */
  readonly errors: string[];
  /** Every URL the page requested: only its own file when it is self-contained. */
  readonly requests: string[];
  readonly wordLabels: string[];
  /** For each word's bar, the colour of the canvas pixel in the middle of the bar. */
  readonly wordBarPixels: number[][];
  readonly shardBars: number;
  /** The totals table, label → text of the value cell. */
  readonly totals: Record<string, string>;
  readonly shardRows: number;
  readonly skippedText: string;
}

export async function openReport(browser: Browser, path: string): Promise<RenderedReport> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(`file://${path}`);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });
    const drawn = await page.evaluate(() => {
      // Runs in the page: Chart is the library the report inlines.
      type Bar = { getProps(names: string[]): { x: number; y: number; base: number } };
      type ChartLike = { data: { labels: string[] }; currentDevicePixelRatio: number; getDatasetMeta(index: number): { data: Bar[] } };
      const getChart = (globalThis as unknown as { Chart: { getChart(id: string): ChartLike } }).Chart.getChart;
      const words = getChart('words-chart');
      const canvas = document.getElementById('words-chart') as HTMLCanvasElement;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const ratio = words.currentDevicePixelRatio;
      const wordBarPixels = words.getDatasetMeta(0).data.map((bar) => {
        const { x, y, base } = bar.getProps(['x', 'y', 'base']);
        return Array.from(context.getImageData(Math.round(((x + base) / 2) * ratio), Math.round(y * ratio), 1, 1).data);
      });
      const totals: Record<string, string> = {};
      for (const row of document.querySelectorAll('#totals tr')) {
        totals[row.querySelector('th')?.textContent ?? ''] = row.querySelector('td')?.textContent ?? '';
      }
      return {
        wordLabels: words.data.labels,
        wordBarPixels,
        shardBars: getChart('shards-chart').getDatasetMeta(0).data.length,
        totals,
        shardRows: document.querySelectorAll('table.shards tbody tr').length,
        skippedText: document.getElementById('skipped')?.textContent ?? '',
      };
    });
    return { errors, requests, ...drawn };
  } finally {
    await page.close();
  }
}
