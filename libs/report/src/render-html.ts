import { formatS3Path } from '@wordbatch/s3-path';
import { escapeHtml, formatBytes, formatDuration, formatInteger, jsonForScript, scriptSource } from './html-text';
import type { RunReport } from './load-run';
import { labelOf, renderFields, renderObjectList, renderValue } from './render-values';
import { shardRows, shardSpread, STRAGGLER_FACTOR, type ShardRow } from './shard-figures';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets';

/** The fields of result.json that have a section of their own; any other is listed as found. */
const SHOWN_APART = new Set(['planId', 'partial', 'missingShards', 'totals', 'settings', 'skipped', 'words', 'result']);

/**
 * The report as one HTML file that needs nothing else: the charting library and the data are
 * inline, and the page's Content-Security-Policy forbids it to load anything, so it opens the
 * same from a laptop, an e-mail attachment or an S3 console download.
 */
export function renderReportHtml(report: RunReport, chartLibrary: string): string {
  const { result, plan } = report;
  const rows = shardRows(report.shards);
  const pageData = {
    words: result.words,
    shards: rows.map((row) => ({
      label: `shard ${row.shardIndex}`,
      seconds: row.durationMs === undefined ? null : row.durationMs / 1000,
      megabytes: row.bytes / 1e6,
      straggler: row.straggler,
    })),
  };
  const title = `wordbatch report: ${result.planId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
${renderRunLine(report)}
${result.partial === true ? `<p class="warning" id="partial">Partial result: shards ${escapeHtml((result.missingShards ?? []).join(', '))} were missing when merge ran.</p>` : ''}
</header>
<main>
<section id="totals"><h2>Totals</h2>${renderFields(result.totals, 'fields totals')}</section>
<section id="top-words"><h2>Top ${formatInteger(result.words.length)} words</h2>
${result.settings ? `<details><summary>Settings</summary>${renderFields(result.settings)}</details>` : ''}
${result.words.length === 0 ? '<p class="none">No word passed the filters.</p>' : `<div class="chart" style="height:${40 + 22 * result.words.length}px"><canvas id="words-chart" role="img" aria-label="Bar chart of the top ${result.words.length} words by count"></canvas></div>`}
</section>
${renderShards(rows)}
${renderSkipped(report)}
${renderOther(report)}
${plan ? `<section id="plan"><h2>Plan</h2>${renderFields({ id: plan.id, createdAt: plan.createdAt, source: formatS3Path(plan.source), destination: formatS3Path(plan.destination), ...plan.settings, plannedFiles: plan.totals.files, plannedBytes: plan.totals.bytes })}</section>` : ''}
</main>
<script type="application/json" id="report-data">${jsonForScript(pageData)}</script>
<script>${scriptSource(chartLibrary, 'the charting library')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function renderRunLine(report: RunReport): string {
  const source = report.plan ? `${escapeHtml(formatS3Path(report.plan.source))} → ` : '';
  return `<p class="run">${source}<code>${escapeHtml(report.location)}</code></p>`;
}

function renderShards(rows: readonly ShardRow[]): string {
  const spread = shardSpread(rows);
  const ratio = (max: number, typical: number) => (typical > 0 ? `${(max / typical).toFixed(2)}×` : '–');
  const lines = [
    `${formatInteger(spread.shardsWithResults)} of ${formatInteger(rows.length)} shards have a result.`,
    `Largest shard ${formatBytes(spread.maxBytes)}, ${ratio(spread.maxBytes, spread.medianBytes)} the median (${formatBytes(spread.medianBytes)}).`,
  ];
  if (spread.maxDurationMs !== undefined && spread.medianDurationMs !== undefined) {
    lines.push(
      `Slowest shard ${formatDuration(spread.maxDurationMs)}, ${ratio(spread.maxDurationMs, spread.medianDurationMs)} the median (${formatDuration(Math.round(spread.medianDurationMs))}); ` +
        `${formatInteger(spread.stragglers)} straggler(s) (over ${STRAGGLER_FACTOR}× the median).`,
    );
  } else {
    lines.push('No shard timings: this run predates them, so only sizes are shown.');
  }
  const body = rows.map((row) => {
    const cells = row.missing
      ? `<td colspan="7" class="none">missing: no shard result</td>`
      : [
          formatInteger(row.objects),
          formatInteger(row.skipped),
          formatBytes(row.bytes),
          formatInteger(row.words),
          row.durationMs === undefined ? '–' : formatDuration(row.durationMs),
          row.megabytesPerSecond === undefined ? '–' : formatRate(row.megabytesPerSecond),
          row.startOffsetMs === undefined ? '–' : `+${formatDuration(row.startOffsetMs)}`,
        ]
          .map((cell) => `<td>${cell}</td>`)
          .join('');
    return `<tr${row.straggler ? ' class="straggler"' : ''}><th scope="row">${row.shardIndex}</th>${cells}</tr>`;
  });
  return `<section id="shards"><h2>Shards</h2>
<p class="spread">${lines.join(' ')}</p>
<div class="chart" style="height:260px"><canvas id="shards-chart" role="img" aria-label="Bar chart of each shard's duration"></canvas></div>
<table class="list shards"><thead><tr><th scope="col">shard</th><th scope="col">objects</th><th scope="col">skipped</th><th scope="col">bytes</th><th scope="col">words</th><th scope="col">duration</th><th scope="col">MB/s</th><th scope="col">started</th></tr></thead>
<tbody>${body.join('')}</tbody></table></section>`;
}

/** Two decimals, or two significant digits for the tiny rates of tiny shards (not a flat 0.00). */
function formatRate(megabytesPerSecond: number): string {
  return megabytesPerSecond >= 0.1 || megabytesPerSecond === 0 ? megabytesPerSecond.toFixed(2) : megabytesPerSecond.toPrecision(2);
}

function renderSkipped(report: RunReport): string {
  const skipped = report.result.skipped ?? [];
  if (skipped.length === 0) return `<section id="skipped"><h2>Skipped objects</h2><p class="none">None: every planned object was counted.</p></section>`;
  const byReason = new Map<string, number>();
  for (const item of skipped) byReason.set(item.reason, (byReason.get(item.reason) ?? 0) + 1);
  const reasons = [...byReason].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([reason, objects]) => ({ reason, objects }));
  return `<section id="skipped"><h2>Skipped objects: ${formatInteger(skipped.length)}</h2>
${renderObjectList(reasons)}
<details${skipped.length <= 20 ? ' open' : ''}><summary>Every skipped object</summary>${renderObjectList(skipped)}</details></section>`;
}

/** Whatever else result.json holds (tallies a newer merge adds), as it is. */
function renderOther(report: RunReport): string {
  const other = Object.entries(report.result).filter(([key]) => !SHOWN_APART.has(key));
  if (other.length === 0) return '';
  const parts = other.map(([key, value]) => `<h3>${escapeHtml(labelOf(key))}</h3>${renderValue(value, key)}`);
  return `<section id="more"><h2>More from result.json</h2>${parts.join('\n')}</section>`;
}
