// The benchmark's printed report: plain aligned text tables, with each target beside its figure.
import { MiB } from './measure.mjs';
import { scaleSections } from './scale-report.mjs';

const ANY = { align: 'left' };

/** Aligned columns; `columns` are [title, { align }] pairs, rows arrays of strings. */
function table(columns, rows) {
  const widths = columns.map(([title], index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells) =>
    cells
      .map((cell, index) => (columns[index][1].align === 'right' ? cell.padStart(widths[index]) : cell.padEnd(widths[index])))
      .join('   ')
      .trimEnd();
  return [line(columns.map(([title]) => title)), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const RIGHT = { align: 'right' };
const fixed = (value, digits = 1) => (value === undefined ? '' : value.toFixed(digits));
const mib = (bytes) => (bytes === undefined ? '' : `${(bytes / MiB).toFixed(0)} MiB`);
const count = (value) => Math.round(value).toLocaleString('en');
const verdict = (met) => (met ? 'met' : 'NOT met');

function countingRows(results) {
  const rows = [];
  const rate = (implementation) => results.counting?.find((row) => row.implementation === implementation)?.megabytesPerSecond;
  const baseline = rate('naive');
  const lineBaseline = rate('naive-lines');
  // Against both naive counters: the whole-text one is the slowest plausible, the per-line one a fairer bar.
  const ratio = (megabytesPerSecond) =>
    [baseline, lineBaseline].map((base) => (base ? `${fixed(megabytesPerSecond / base, 2)}x` : '-')).join(' / ');
  const names = {
    naive: 'naive: whole text, split(/\\s+/) + Map (baseline)',
    'naive-lines': 'naive: per line, streamed, split(/\\s+/) + Map (baseline)',
    unicode: 'unicode tokenizer, warm',
    whitespace: 'whitespace tokenizer, warm',
    'wc -w': 'wc -w',
    'C counter': 'C counter: whitespace rule, hash table, cc -O2',
  };
  const targets = {
    unicode: (row) => `>= 60 MB/s and >= 5x: ${verdict(row.megabytesPerSecond >= 60 && row.megabytesPerSecond >= 5 * baseline)}`,
    whitespace: (row) => `>= 85 MB/s: ${verdict(row.megabytesPerSecond >= 85)}`,
  };
  for (const row of results.counting ?? []) {
    rows.push([names[row.implementation], fixed(row.megabytesPerSecond), ratio(row.megabytesPerSecond), mib(row.maxRssBytes), targets[row.implementation]?.(row) ?? '']);
  }
  const shard = results.shardOfManyFiles;
  if (shard) {
    const what = `${shard.files} files of ~${fixed(shard.bytes / shard.files / 1e6)} MB (${fixed(shard.bytes / 1e6, 0)} MB)`;
    const scaling = shard.allCores.megabytesPerSecond / shard.oneCore.megabytesPerSecond;
    rows.push([`migrate, ${what}, 1 core`, fixed(shard.oneCore.megabytesPerSecond), ratio(shard.oneCore.megabytesPerSecond), mib(shard.oneCore.maxRssBytes), '']);
    rows.push([
      `migrate, ${what}, ${results.machine.cpus} cores (${shard.allCores.countingThreads} counting threads)`,
      fixed(shard.allCores.megabytesPerSecond),
      ratio(shard.allCores.megabytesPerSecond),
      mib(shard.allCores.maxRssBytes),
      `${fixed(scaling, 2)}x 1 core, >= 1.7x: ${verdict(scaling >= 1.7)}`,
    ]);
  }
  const large = results.largeObject;
  if (large?.oneCore) {
    const what = `migrate, one ${fixed(large.bytes / 2 ** 30, 2)} GiB object`;
    const scaling = large.allCores.processMegabytesPerSecond / large.oneCore.processMegabytesPerSecond;
    const againstWc = large.allCores.processMegabytesPerSecond / large.wcMegabytesPerSecond;
    rows.push([`${what}, 1 core (whole process)`, fixed(large.oneCore.processMegabytesPerSecond), ratio(large.oneCore.processMegabytesPerSecond), mib(large.oneCore.maxRssBytes), '']);
    rows.push([
      `${what}, ${results.machine.cpus} cores (${large.allCores.countingThreads} counting threads, whole process)`,
      fixed(large.allCores.processMegabytesPerSecond),
      ratio(large.allCores.processMegabytesPerSecond),
      mib(large.allCores.maxRssBytes),
      `${fixed(scaling, 2)}x 1 core, >= 1.8x: ${verdict(scaling >= 1.8)}; RSS < 200 MiB: ${verdict(large.allCores.maxRssBytes < 200 * MiB)}`,
    ]);
    rows.push([`wc -w on the same ${fixed(large.bytes / 2 ** 30, 2)} GiB file`, fixed(large.wcMegabytesPerSecond), ratio(large.wcMegabytesPerSecond), '', `migrate ${fixed(againstWc, 2)}x wc -w, >= 1.0x: ${verdict(againstWc >= 1)}`]);
    if (large.oneCore.cpuMsPerMegabyte !== undefined) {
      const cpu = (figures) => `${fixed(figures.cpuMsPerMegabyte, 2)} + ${fixed(figures.serverCpuMsPerMegabyte, 2)} ms`;
      rows.push([
        `  CPU per MB of that object, migrate + S3 server (medians of ${large.rounds})`,
        '',
        '',
        '',
        `1 core: ${cpu(large.oneCore)}; ${results.machine.cpus} cores: ${cpu(large.allCores)}; wc -w: ${fixed(1000 / large.wcMegabytesPerSecond, 2)} ms of wall time`,
      ]);
    }
    const ceiling = large.ceiling;
    if (ceiling) {
      const cpu = (figures) => `${fixed(figures.cpuMsPerMegabyte, 2)} + ${fixed(figures.serverCpuMsPerMegabyte, 2)} ms/MB`;
      rows.push([
        `  ceiling: threads that GET their own ranges and only count (thread-gets.ts; read its CPU per MB), 1 on 1 core / ${ceiling.threads} on all`,
        '',
        '',
        '',
        `${fixed(ceiling.oneCore.processMegabytesPerSecond)} / ${fixed(ceiling.allCores.processMegabytesPerSecond)} MB/s, ` +
          `${fixed(ceiling.allCores.processMegabytesPerSecond / ceiling.oneCore.processMegabytesPerSecond, 2)}x; ${cpu(ceiling.oneCore)} / ${cpu(ceiling.allCores)}`,
      ]);
    }
  }
  const many = results.manyObjects;
  if (many) {
    rows.push([
      `migrate, ${count(many.files)} objects of ~1 KB (${count(many.objectsPerSecond)} objects/s)`,
      fixed(many.megabytesPerSecond),
      ratio(many.megabytesPerSecond),
      mib(many.maxRssBytes),
      `RSS < 200 MiB: ${verdict(many.maxRssBytes < 200 * MiB)}`,
    ]);
  }
  return rows;
}

function pipelineSection(results) {
  const lines = [];
  const merge = results.merge;
  if (merge) {
    lines.push(
      `merge stage: ${merge.shards} shard results x ${count(merge.entries / merge.shards)} lines (${fixed(merge.megabytes)} MB, ` +
        `${count(merge.distinctWords)} distinct words): ${count(merge.entriesPerSecond)} entries/s over its whole run, ` +
        `peak RSS ${mib(merge.maxRssBytes)}; >= 5 million/s: ${verdict(merge.entriesPerSecond >= 5e6)}`,
    );
  }
  const pipeline = results.pipeline;
  if (pipeline) {
    const { raw, fetchOnly, perFile } = pipeline;
    const run = pipeline.pipeline;
    const stages = Object.entries(run.stages ?? {})
      .map(([stage, seconds]) => `${stage} ${fixed(seconds)} s`)
      .join(', ');
    const row = (what, rate, target) => [what, count(rate), `${fixed(rate / raw.objectsPerSecond, 2)}x`, fetchOnly ? `${fixed(rate / fetchOnly.objectsPerSecond, 2)}x` : '', target];
    lines.push(
      '',
      `Many small files: ${count(run.files)} objects of ~4 KB, embedded S3 server (s3rver, a process of its own)`,
      table(
        [['', ANY], ['objects/s', RIGHT], ['x plain GETs', RIGHT], ['x fetch alone', RIGHT], ['target', ANY]],
        [
          row('the server alone: plain HTTP GETs, 16 in flight (median of 3 rounds)', raw.objectsPerSecond, ''),
          ...(fetchOnly ? [row(`fetching alone as migrate does: ObjectStore in ${fetchOnly.processes} processes, 16 in flight each`, fetchOnly.objectsPerSecond, '')] : []),
          row(
            `local pipeline: plan, ${run.migrateChildren} migrate children, merge (${fixed(run.seconds)} s after the upload)`,
            run.objectsPerSecond,
            `>= 0.7x plain GETs: ${verdict(run.objectsPerSecond >= 0.7 * raw.objectsPerSecond)}`,
          ),
          row(`one process per object (the seed's design; ${perFile.objects} objects)`, perFile.objectsPerSecond, ''),
        ],
      ),
      `(stages by their own logs: ${stages})`,
    );
  }
  return lines.join('\n');
}

function startupSection(startup) {
  return [
    table(
      [['build', ANY], ['plan ms (CPU)', RIGHT], ['migrate ms (CPU)', RIGHT], ['merge ms (CPU)', RIGHT], ['bundles (plan / migrate / merge)', ANY]],
      startup.builds.map((build) => [
        build.label,
        ...['plan', 'migrate', 'merge'].map((stage) => `${fixed(build[stage], 0)} (${fixed(build[`${stage}Cpu`], 0)})`),
        ['plan', 'migrate', 'merge'].map((stage) => `${fixed(build.bundleBytes[stage] / 1024, 0)} KiB`).join(' / '),
      ]),
    ),
    `(medians of ${startup.rounds} rounds after a warm-up, each stage on one 256 KiB object from process start to exit, wall and CPU (user + system); node -e 0: ${fixed(startup.nodeAloneMs, 0)} ms)`,
  ].join('\n');
}

function sweepSection(sweep) {
  return table(
    [['object size', RIGHT], ['objects', RIGHT], ['plain GETs MB/s', RIGHT], ['1 core MB/s', RIGHT], ['all cores MB/s', RIGHT], ['ratio', RIGHT], ['threads', RIGHT]],
    sweep.map((row) => [
      row.fileBytes >= 1 << 20 ? `${row.fileBytes >> 20} MiB` : `${row.fileBytes >> 10} KiB`,
      count(row.files),
      fixed(row.plainGetMegabytesPerSecond),
      fixed(row.oneCore.megabytesPerSecond),
      fixed(row.allCores.megabytesPerSecond),
      `${fixed(row.allCores.megabytesPerSecond / row.oneCore.megabytesPerSecond, 2)}x`,
      String(row.allCores.countingThreads),
    ]),
  );
}

export function formatReport(results) {
  const load = (values) => values.map((value) => value.toFixed(2)).join(' ');
  const out = [
    `wordbatch benchmark, ${results.startedAt}: ${results.machine.cpus} CPUs (${results.machine.model}), node ${results.machine.node}, ` +
      `stage bundles from ${results.dist}`,
    `load average (1, 5, 15 min): ${load(results.loadAverageBefore)} before, ${load(results.loadAverageAfter)} after`,
  ];
  if (results.tokenizers) {
    out.push('', `Tokenizers (tools/bench/tokenizers.mjs; that whole process peaked at ${mib(results.tokenizers.maxRssBytes)})`, results.tokenizers.output.trimEnd());
  }
  const rows = countingRows(results);
  if (rows.length > 0) {
    out.push(
      '',
      `Counting: ${fixed(results.corpusMegabytes)} MB (kjvbible.txt x 10); each row its own process; migrate reads from the embedded S3 server`,
      table([['implementation', ANY], ['MB/s', RIGHT], ['x whole-text / per-line', RIGHT], ['peak RSS', RIGHT], ['target', ANY]], rows),
    );
    if (results.shardOfManyFiles) {
      out.push(
        '(migrate "1 core": the S3 server and migrate both held to CPU 0; "cores": both free, so the server takes its share there too.' +
          ` Cores busy with migrate: ${fixed(results.shardOfManyFiles.oneCore.coresUsed, 2)} and ${fixed(results.shardOfManyFiles.allCores.coresUsed, 2)})`,
      );
    }
  }
  if (results.gzip) {
    const gzip = results.gzip;
    out.push(
      '',
      `migrate, gzip'd against plain: ${gzip.files} objects, ${fixed(gzip.textBytes / 1e6)} MB of text, ${fixed(gzip.storedBytes / 1e6)} MB gzip'd (medians of ${gzip.rounds} rounds, every core)`,
      `  plain ${fixed(gzip.plainMegabytesPerSecond)} MB/s; gzip'd ${fixed(gzip.gzipTextMegabytesPerSecond)} MB/s of text = ${fixed(gzip.gzipStoredMegabytesPerSecond)} MB/s stored ` +
        `(${fixed(gzip.gzipTextMegabytesPerSecond / gzip.plainMegabytesPerSecond, 2)}x plain); peak RSS ${mib(gzip.plainMaxRssBytes)} plain, ${mib(gzip.gzipMaxRssBytes)} gzip'd`,
    );
  }
  if (results.inventory) {
    const inventory = results.inventory;
    out.push(
      '',
      `plan from an S3 Inventory report: ${inventory.objects.toLocaleString('en')} objects in ${inventory.dataFiles} gzip'd CSV data files (${fixed(inventory.reportMegabytes)} MB), ${inventory.shards} shards`,
      `  ${fixed(inventory.wallMs / 1000, 1)} s wall (${fixed(inventory.planDurationMs / 1000, 1)} s in plan's own clock, ${fixed(inventory.cpuMs / 1000, 1)} s CPU), ` +
        `${Math.round(inventory.objects / (inventory.wallMs / 1000)).toLocaleString('en')} objects/s, peak RSS ${mib(inventory.maxRssBytes)}`,
    );
  }
  const pipeline = pipelineSection(results);
  if (pipeline) out.push('', pipeline);
  if (results.sweep) out.push('', 'migrate by object size (one shard each)', sweepSection(results.sweep));
  if (results.startup) out.push('', 'Fixed cost of a real run', startupSection(results.startup));
  out.push(...scaleSections(results));
  return `${out.join('\n')}\n`;
}
