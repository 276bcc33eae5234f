import { parsePlanHeader, parseShardResultHeader, parseShardTiming } from '@wordbatch/plan-schema';
import type { RunReport, ShardReport } from './load-run';
import { renderReportHtml } from './render-html';
import { renderValue } from './render-values';
import { parseRunResult } from './run-result';
import { PLAN_ID, samplePlan, sampleResult, sampleRunObjects } from './sample-run.spec-helper';

const LIBRARY = '/* chart library */ window.Chart = function () {};';

function sampleReport(overrides: Record<string, unknown> = {}): RunReport {
  const objects = sampleRunObjects();
  const shards: ShardReport[] = [0, 1, 2].map((shardIndex) => ({
    shardIndex,
    header: parseShardResultHeader(objects.get(`shards/shard-0000${shardIndex}.tsv`)?.split('\n')[0] ?? ''),
    timing: parseShardTiming(objects.get(`timings/shard-0000${shardIndex}.json`) ?? ''),
  }));
  return {
    location: `s3://dst/out/${PLAN_ID}/`,
    result: parseRunResult(JSON.stringify({ ...sampleResult, ...overrides }), 'result.json'),
    plan: parsePlanHeader(JSON.stringify(samplePlan)),
    shards,
  };
}

/** The page's data, read back the way the page's script reads it. */
function pageData(html: string): { words: unknown[]; shards: Array<{ label: string; seconds: number; straggler: boolean }> } {
  const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(match?.[1] ?? 'null');
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(sampleReport(), LIBRARY);

  it('is one page with the library, the data and the drawing script inline, and loads nothing', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(LIBRARY);
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('carries every top word to the chart, a word that looks like markup included, unchanged', () => {
    expect(pageData(html).words).toEqual(sampleResult.words);
    expect(html).not.toContain('</script><b>x');
  });

  it('shows the totals, the straggler and the skipped objects grouped by reason', () => {
    expect(html).toMatch(/<th scope="row">distinct words<\/th><td>300<\/td>/);
    expect(html).toMatch(/<th scope="row">bytes<\/th><td>3,500,000 <span class="unit">\(3\.3 MiB\)<\/span><\/td>/);
    expect(html).toContain('<tr class="straggler"><th scope="row">2</th><td>2</td><td>1</td><td>1.4 MiB</td><td>400</td><td>6.0 s</td><td>0.25</td><td>+1.0 s</td></tr>');
    expect(pageData(html).shards.map((shard) => [shard.label, shard.seconds, shard.straggler])).toEqual([
      ['shard 0', 1, false],
      ['shard 1', 1.2, false],
      ['shard 2', 6, true],
    ]);
    expect(html).toContain('Slowest shard 6.0 s, 5.00× the median (1.2 s); 1 straggler(s)');
    expect(html).toContain('<h2>Skipped objects: 2</h2>');
    expect(html).toContain('<tr><td>binary (contains a NUL byte)</td><td>2</td></tr>');
    expect(html).toContain('<td>notes/&#60;script&#62;.txt</td>');
  });

  it('shows fields result.json gains later, as they are', () => {
    const later = renderReportHtml(sampleReport({ skippedByReason: { binary: 2, 'too large': 0 } }), LIBRARY);
    expect(later).toContain('<section id="more"><h2>More from result.json</h2><h3>skipped by reason</h3>');
    expect(later).toContain('<tr><th scope="row">too large</th><td>0</td></tr>');
    expect(html).not.toContain('id="more"');
  });

  it('warns about a partial result and names the missing shards', () => {
    const partial = renderReportHtml(sampleReport({ partial: true, missingShards: [1] }), LIBRARY);
    expect(partial).toContain('Partial result: shards 1 were missing when merge ran.');
  });

  it('refuses a library that would end its script element early', () => {
    expect(() => renderReportHtml(sampleReport(), 'var s = "</script>";')).toThrow(/contains "<\/script"/);
  });
});

describe('renderValue', () => {
  it('gives sizes and durations units by the field name, and lists long arrays in part', () => {
    expect(renderValue(2048, 'bytes')).toBe('2,048 <span class="unit">(2.0 KiB)</span>');
    expect(renderValue(83_400, 'durationMs')).toBe('83,400 <span class="unit">(1 min 23.4 s)</span>');
    expect(renderValue(1.5)).toBe('1.50');
    expect(renderValue([])).toBe('<span class="none">none</span>');
    expect(renderValue(Array.from({ length: 1002 }, (_, i) => i))).toContain('… and 2 more (all of them are in result.json)');
  });
});
