// The report page's own style and script, inlined by render-html.ts. The script runs in the
// browser after the charting library (Chart.js, global `Chart`) and reads the data from the
// page's JSON element; animations are off, so the page is final as soon as it has loaded.

export const BAR_COLOR = '#4c78a8';
export const STRAGGLER_COLOR = '#e45756';

export const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; color: #1f2328; }
h1 { font-size: 22px; margin: 24px 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 4px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.run { color: #57606a; margin: 0; }
.warning { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 12px; border-radius: 6px; }
.none, .note, .unit { color: #57606a; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid #eaeef2; }
table.fields th { font-weight: 600; white-space: nowrap; }
table.totals td { font-variant-numeric: tabular-nums; font-size: 16px; }
table.list thead th { background: #f6f8fa; font-weight: 600; }
table.shards td, table.shards th[scope=row] { text-align: right; font-variant-numeric: tabular-nums; }
tr.straggler { background: #ffebe9; }
.chart { position: relative; width: 100%; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #0969da; }
`;

export const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var wordsCanvas = document.getElementById('words-chart');
  if (wordsCanvas) {
    new Chart(wordsCanvas, {
      type: 'bar',
      data: {
        labels: data.words.map(function (entry) { return entry.word; }),
        datasets: [{ label: 'count', data: data.words.map(function (entry) { return entry.count; }), backgroundColor: '${BAR_COLOR}' }]
      },
      options: {
        indexAxis: 'y', responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { ticks: { autoSkip: false } }, x: { position: 'top', title: { display: true, text: 'occurrences' } } }
      }
    });
  }
  var timed = data.shards.some(function (shard) { return shard.seconds !== null; });
  new Chart(document.getElementById('shards-chart'), {
    type: 'bar',
    data: {
      labels: data.shards.map(function (shard) { return shard.label; }),
      datasets: [{
        label: timed ? 'duration (s)' : 'size (MB)',
        data: data.shards.map(function (shard) { return timed ? shard.seconds : shard.megabytes; }),
        backgroundColor: data.shards.map(function (shard) { return shard.straggler ? '${STRAGGLER_COLOR}' : '${BAR_COLOR}'; })
      }]
    },
    options: {
      responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { title: { display: true, text: timed ? 'seconds' : 'MB' }, beginAtZero: true } }
    }
  });
  document.body.setAttribute('data-rendered', 'true');
})();
`;
