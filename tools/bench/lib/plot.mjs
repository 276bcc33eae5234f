// Draws the object-size sweep as an SVG line chart against object size (log scale): migrate's
// MB/s on one core and on all cores, and the S3 server's own rate for the same objects. Plain SVG text, so the image is reviewable in a diff.
import { writeFileSync } from 'node:fs';

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 30, top: 50, bottom: 70 };
const SERIES = [
  { label: 'the S3 server alone: plain GETs, 16 in flight', color: '#bbbbbb', value: (row) => row.plainGetMegabytesPerSecond },
  { label: 'migrate, 2 cores (counting threads for objects of 64 KiB and more)', color: '#1f6feb', value: (row) => row.allCores.megabytesPerSecond },
  { label: 'migrate, 1 core (server and migrate both on CPU 0)', color: '#d9822b', value: (row) => row.oneCore.megabytesPerSecond },
];

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const sizeLabel = (bytes) => (bytes >= 1 << 20 ? `${bytes >> 20} MiB` : `${bytes >> 10} KiB`);

/** A round step giving about five ticks up to `max`. */
function tickStep(max) {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= raw);
}

export function sweepSvg(sweep, { title = 'migrate throughput by object size' } = {}) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const logSizes = sweep.map((row) => Math.log2(row.fileBytes));
  const [minLog, maxLog] = [Math.min(...logSizes), Math.max(...logSizes)];
  const maxRate = Math.max(...sweep.flatMap((row) => SERIES.map((series) => series.value(row))));
  const step = tickStep(maxRate);
  const top = Math.ceil(maxRate / step) * step;
  const x = (bytes) => MARGIN.left + ((Math.log2(bytes) - minLog) / (maxLog - minLog || 1)) * plotWidth;
  const y = (rate) => MARGIN.top + plotHeight - (rate / top) * plotHeight;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="13">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="16">${escape(title)}</text>`,
  ];
  for (let rate = 0; rate <= top; rate += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(rate)}" y2="${y(rate)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(rate) + 4}" text-anchor="end">${rate}</text>`,
    );
  }
  for (const row of sweep) {
    parts.push(`<text x="${x(row.fileBytes)}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="middle">${sizeLabel(row.fileBytes)}</text>`);
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 22}" text-anchor="middle">object size (one shard each: ~2,000 objects, or ~128 MB)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">MB/s (object bytes per second)</text>`,
  );
  for (const [index, series] of SERIES.entries()) {
    const points = sweep.map((row) => `${x(row.fileBytes).toFixed(1)},${y(series.value(row)).toFixed(1)}`);
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2.5"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${series.color}"/>`);
    }
    const legendY = MARGIN.top + 12 + index * 20;
    parts.push(
      `<line x1="${MARGIN.left + 16}" x2="${MARGIN.left + 40}" y1="${legendY}" y2="${legendY}" stroke="${series.color}" stroke-width="2.5"/>`,
      `<text x="${MARGIN.left + 48}" y="${legendY + 4}">${escape(series.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function writeSweepPlot(file, sweep) {
  writeFileSync(file, sweepSvg(sweep));
}

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 340;
const PANEL_MARGIN = { left: 70, right: 20, top: 70, bottom: 60 };

/**
 * Growth with input size: side-by-side panels (e.g. time and peak RSS) over the same x values,
 * x on a log scale. `panels`: [{ yLabel, series: [{ label, color, values }], limit?: { value, label } }].
 */
export function growthSvg({ title, xLabel, xs, xTick = (value) => value.toLocaleString('en'), panels }) {
  const width = PANEL_WIDTH * panels.length;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_HEIGHT}" viewBox="0 0 ${width} ${PANEL_HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${PANEL_HEIGHT}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escape(title)}</text>`,
  ];
  const logs = xs.map(Math.log10);
  const [minLog, maxLog] = [Math.min(...logs), Math.max(...logs)];
  for (const [index, panel] of panels.entries()) {
    const left = index * PANEL_WIDTH + PANEL_MARGIN.left;
    const plotWidth = PANEL_WIDTH - PANEL_MARGIN.left - PANEL_MARGIN.right;
    const plotHeight = PANEL_HEIGHT - PANEL_MARGIN.top - PANEL_MARGIN.bottom;
    const values = panel.series.flatMap((series) => series.values.filter((value) => value !== undefined));
    const max = Math.max(...values, panel.limit?.value ?? 0);
    const step = tickStep(max);
    const top = Math.ceil(max / step) * step;
    const x = (value) => left + ((Math.log10(value) - minLog) / (maxLog - minLog || 1)) * plotWidth;
    const y = (value) => PANEL_MARGIN.top + plotHeight - (value / top) * plotHeight;
    for (let tick = 0; tick <= top + step / 2; tick += step) {
      parts.push(
        `<line x1="${left}" x2="${left + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e5e5"/>`,
        `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${Number(tick.toPrecision(6))}</text>`,
      );
    }
    for (const value of xs) parts.push(`<text x="${x(value)}" y="${PANEL_HEIGHT - PANEL_MARGIN.bottom + 18}" text-anchor="middle">${escape(xTick(value))}</text>`);
    parts.push(
      `<line x1="${left}" x2="${left}" y1="${PANEL_MARGIN.top}" y2="${PANEL_HEIGHT - PANEL_MARGIN.bottom}" stroke="#333"/>`,
      `<line x1="${left}" x2="${left + plotWidth}" y1="${PANEL_HEIGHT - PANEL_MARGIN.bottom}" y2="${PANEL_HEIGHT - PANEL_MARGIN.bottom}" stroke="#333"/>`,
      `<text x="${left + plotWidth / 2}" y="${PANEL_HEIGHT - 18}" text-anchor="middle">${escape(xLabel)}</text>`,
      `<text transform="translate(${left - 52} ${PANEL_MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>`,
    );
    if (panel.limit) {
      parts.push(
        `<line x1="${left}" x2="${left + plotWidth}" y1="${y(panel.limit.value)}" y2="${y(panel.limit.value)}" stroke="#cf222e" stroke-dasharray="6 4"/>`,
        `<text x="${left + plotWidth}" y="${y(panel.limit.value) - 5}" text-anchor="end" fill="#cf222e">${escape(panel.limit.label)}</text>`,
      );
    }
    for (const [seriesIndex, series] of panel.series.entries()) {
      const points = xs.flatMap((value, at) => (series.values[at] === undefined ? [] : [[x(value), y(series.values[at])]]));
      parts.push(`<polyline points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}" fill="none" stroke="${series.color}" stroke-width="2.5"/>`);
      for (const [px, py] of points) parts.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4" fill="${series.color}"/>`);
      const legendY = 42 + seriesIndex * 16;
      parts.push(
        `<line x1="${left}" x2="${left + 20}" y1="${legendY}" y2="${legendY}" stroke="${series.color}" stroke-width="2.5"/>`,
        `<text x="${left + 26}" y="${legendY + 4}">${escape(series.label)}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
