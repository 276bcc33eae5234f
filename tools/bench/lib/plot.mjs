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
