import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { DIST, runProgram, type StageRun } from './harness';

// `wordbatch local` (what `npm start` runs) as a user sees it: what reaches stderr, where the
// results land, empty inputs, and two runs at once. Each run starts its own embedded S3 server.

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-local-e2e-'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

function local(args: readonly string[]): Promise<StageRun> {
  return runProgram('wordbatch', ['local', ...args], {}, ['--openssl-legacy-provider']);
}

/** A folder of `files` text files, each "alpha beta" plus its own word `wordN`, and optionally one binary file. */
function folder(name: string, files: number, options: { binary?: boolean; word?: string } = {}): string {
  const path = join(directory, name);
  mkdirSync(join(path, 'sub'), { recursive: true });
  for (let index = 0; index < files; index++) {
    writeFileSync(join(path, index % 2 === 0 ? 'sub' : '', `file-${index}.txt`), `alpha beta ${options.word ?? 'gamma'} alpha\n`);
  }
  if (options.binary) writeFileSync(join(path, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x61]));
  return path;
}

/** stderr without its JSON log lines: what a person reads. */
function plainLines(run: StageRun): string[] {
  return run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
}

describe('wordbatch local on 40 files and a binary one, with --out', () => {
  let run: StageRun;
  let out: string;
  beforeAll(async () => {
    out = join(directory, 'chosen-out');
    run = await local([folder('forty', 40, { binary: true }), '--shards', '3', '--data-dir', join(directory, 'data-forty'), '--out', out, '--format', 'json', '--min-count', '1']);
  }, 240_000);

  it('exits 0 with the counts on stdout', () => {
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).words).toEqual([
      { word: 'alpha', count: 80 },
      { word: 'beta', count: 40 },
      { word: 'gamma', count: 40 },
    ]);
  });

  it('prints no MaxListenersExceededWarning (16 uploads at once share one abort signal)', () => {
    expect(run.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
  });

  it("passes merge's line about skipped objects on, naming the result.json the user can open", () => {
    expect(plainLines(run)).toEqual([`wordbatch merge: 1 objects skipped (binary 1): listed under "skipped" in ${join(out, 'result.json')}`]);
  });

  it('leaves result.json and report.html in --out, readable after the embedded server is gone', () => {
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.totals).toMatchObject({ files: 40, skippedFiles: 1 });
    expect(result.skipped).toEqual([expect.objectContaining({ name: 'image.png', reason: 'binary' })]);
    expect(result.words).toEqual(JSON.parse(run.stdout).words);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    const done = run.logs.find((log) => log['event'] === 'Local:Done');
    expect(done).toMatchObject({ results: out, report: join(out, 'report.html'), files: 41 });
  });
});

describe('empty inputs (README "Empty inputs")', () => {
  it('an empty folder: exit 0, an empty count, and a warning line from plan and from merge', async () => {
    const empty = join(directory, 'empty');
    mkdirSync(empty);
    const run = await local([empty, '--shards', '2', '--data-dir', join(directory, 'data-empty'), '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('word,count\n');
    expect(plainLines(run)).toEqual([
      'wordbatch plan: warning: no objects under s3://wordbatch-source/: the run will count nothing',
      'wordbatch merge: warning: the plan named no objects: nothing was counted',
    ]);
    expect(run.logs.some((log) => log['event'] === 'Local:EmptyFolder')).toBe(true);
  });

  it('patterns that match nothing: exit 0, and plan says how many objects they left out', async () => {
    const run = await local([folder('unmatched', 3), '--include', '*.pdf', '--data-dir', join(directory, 'data-unmatched'), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).totals).toMatchObject({ files: 0, words: 0 });
    expect(plainLines(run)).toEqual([
      'wordbatch plan: warning: none of the 3 objects under s3://wordbatch-source/ matched --include/--exclude: the run will count nothing',
      'wordbatch merge: warning: the plan named no objects: nothing was counted',
    ]);
  });
});

describe('two local runs at once, sharing --data-dir', () => {
  it('each counts its own folder into its own run folder, and neither disturbs the other', async () => {
    const dataDir = join(directory, 'data-shared');
    const [first, second] = await Promise.all([
      local([folder('first', 12, { word: 'first' }), '--shards', '2', '--data-dir', dataDir, '--format', 'json', '--min-count', '1']),
      local([folder('second', 9, { word: 'second' }), '--shards', '2', '--data-dir', dataDir, '--format', 'json', '--min-count', '1']),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(JSON.parse(first.stdout).words).toEqual([
      { word: 'alpha', count: 24 },
      { word: 'beta', count: 12 },
      { word: 'first', count: 12 },
    ]);
    expect(JSON.parse(second.stdout).words).toEqual([
      { word: 'alpha', count: 18 },
      { word: 'beta', count: 9 },
      { word: 'second', count: 9 },
    ]);
    const resultsOf = (run: StageRun) => String(run.logs.find((log) => log['event'] === 'Local:Done')?.['results']);
    expect(resultsOf(first)).not.toBe(resultsOf(second));
    expect(JSON.parse(readFileSync(join(resultsOf(first), 'result.json'), 'utf8')).totals.files).toBe(12);
    expect(JSON.parse(readFileSync(join(resultsOf(second), 'result.json'), 'utf8')).totals.files).toBe(9);
  }, 240_000);
});

describe('on a terminal (a real pseudo-terminal: util-linux script)', () => {
  it('shows the objects and bytes read while migrate runs, before the run ends, then the results', async () => {
    const files = 120;
    const command = [
      process.execPath, '--openssl-legacy-provider', join(DIST, 'wordbatch', 'main.js'), 'local', folder('terminal', files),
      '--shards', '2', '--parallel', '1', '--concurrency', '1', '--data-dir', join(directory, 'data-terminal'), '--format', 'csv',
    ].map((part) => `'${part}'`).join(' ');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { PATH: process.env['PATH'] ?? '', TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`exit ${code}: ${Buffer.concat(chunks).toString('utf8')}`))));
    });
    // Each redraw starts with a carriage return and clears the line.
    const frames = output.split('\r').map((frame) => frame.replace('\x1b[K', ''));
    const counts = frames.flatMap((frame) => {
      const match = /^migrate (\d+)\/2 \| (\d+)\/(\d+) objects read, ([\d.]+) MB/.exec(frame);
      return match ? [{ children: Number(match[1]), objects: Number(match[2]), total: Number(match[3]) }] : [];
    });
    expect(counts.length).toBeGreaterThan(2);
    expect(counts.every((count) => count.total === files)).toBe(true);
    // Objects counted while no child had finished yet, and partial counts: work shown as it happens.
    expect(counts.some((count) => count.children === 0 && count.objects > 0 && count.objects < files)).toBe(true);
    const tableAt = output.indexOf('word,count');
    expect(tableAt).toBeGreaterThan(output.indexOf('objects read'));
    expect(output).toContain('alpha,240');
    expect(output).toMatch(/wordbatch local: results: .*data-terminal/);
    expect(output).not.toContain('"event":');
  }, 240_000);
});
