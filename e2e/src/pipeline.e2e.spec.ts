import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { putObjects, readObject, runProgram, startTestS3, WORKSPACE, type TestS3 } from './harness';
import { referenceCounts, referenceTop } from './reference-count';

const SRC = 'e2e-source';
const DST = 'e2e-results';
const documentsDir = join(WORKSPACE, 'documents');
const documents = readdirSync(documentsDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
  .sort()
  .map((file) => [relative(documentsDir, file).split(sep).join('/'), readFileSync(file, 'utf8')] as const);

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
  await putObjects(s3.store, SRC, documents.map(([name, text]) => [`docs/${name}`, text]));
});

afterAll(() => s3.stop());

async function runPipeline(planName: string, shards: number, mergeArgs: string[] = [], planArgs: string[] = []) {
  const plan = `s3://${DST}/plans/${planName}.json`;
  const destination = `s3://${DST}/${planName}/`;
  const planRun = await s3.run('plan', ['--source', `s3://${SRC}/docs`, '--destination', destination, '--plan', plan, '--shards', String(shards), ...planArgs]);
  expect(planRun).toMatchObject({ code: 0 });
  const migrations = await Promise.all(
    [...Array(shards).keys()].map((index) => s3.run('migrate', ['--plan', plan], { AWS_BATCH_JOB_ARRAY_INDEX: String(index) })),
  );
  for (const migration of migrations) expect(migration).toMatchObject({ code: 0 });
  const merge = await s3.run('merge', ['--destination', destination, ...mergeArgs]);
  expect(merge.errorLine).toBeUndefined();
  expect(merge.code).toBe(0);
  return { plan, destination, planRun, migrations, merge };
}

describe('the pipeline on documents/', () => {
  it('ranks the words exactly as an independent count does', async () => {
    const { merge, planRun } = await runPipeline('docs', 2, ['--format', 'json']);
    expect(planRun.stdout).toContain(`files        ${documents.length}`);
    expect(planRun.stdout).toContain('Submit migrate with array size 2');
    const result = JSON.parse(merge.stdout);
    const expected = referenceTop(referenceCounts(documents.map(([, text]) => text)));
    expect(result.words).toEqual(expected);
    expect(result.partial).toBe(false);
    expect(result.totals).toMatchObject({ files: documents.length, shards: 2, shardsMerged: 2, skippedFiles: 0 });
    // Checked by hand in documents/: "that" is the most frequent word kept by the seed's filter.
    expect(result.words[0]).toEqual({ word: 'that', count: 12 });
  });

  it('keeps accented and apostrophe words whole and prints the seed table', async () => {
    const { merge } = await runPipeline('docs-all', 1, ['--min-count', '1', '--top', '1000']);
    const rows = new Map(
      merge.stdout
        .split('\n')
        .filter((line) => line.startsWith('│ ') && !line.startsWith('│ Word'))
        .map((line) => line.split('│').map((cell) => cell.trim()))
        .map((cells) => [cells[1], Number(cells[2])]),
    );
    expect(merge.stdout.split('\n')[1]).toMatch(/^│ Word +│ Count │$/);
    expect(rows.get('crème')).toBe(2);
    expect(rows.get('café')).toBe(2);
    expect(rows.get("it's")).toBe(1);
    expect(rows.get('brûlée')).toBe(1);
    expect(rows.has('the')).toBe(false);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const first = await runPipeline('again', 3, ['--format', 'csv']);
    const shardKey = (index: number) => `again/${first.planRun.stdout.split('\n')[0].slice('Plan '.length)}/shards/shard-0000${index}.tsv`;
    const resultBefore = await readObject(s3.store, DST, shardKey(1));
    const rerun = await s3.run('migrate', ['--plan', first.plan, '--index', '1']);
    expect(rerun.code).toBe(0);
    expect(await readObject(s3.store, DST, shardKey(1))).toBe(resultBefore);
    const second = await s3.run('merge', ['--destination', first.destination, '--format', 'csv']);
    expect(second.stdout).toBe(first.merge.stdout);
    expect(second.stdout.split('\n')[0]).toBe('word,count');
  });

  it('writes per-file counts next to the results with --per-file', async () => {
    const { planRun } = await runPipeline('perfile', 2, [], ['--per-file']);
    const planId = planRun.stdout.split('\n')[0].slice('Plan '.length);
    const name = 'field-notes/café notes.txt';
    const perFile = await readObject(s3.store, DST, `perfile/${planId}/files/${name}`);
    const text = documents.find(([documentName]) => documentName === name)?.[1] ?? '';
    const expected = [...referenceCounts([text])]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([word, count]) => `${word}\t${count}\n`)
      .join('');
    expect(perFile).toBe(expected);
  });

  it('gives the same table through the local runner', async () => {
    const stages = await runPipeline('local-compare', 2);
    const local = await runProgram(
      'wordbatch',
      ['local', documentsDir, '--shards', '2', '--data-dir', join(s3.server.directory, 'local-run')],
      {},
      ['--openssl-legacy-provider'],
    );
    // Not on a terminal, stderr is the JSON log only; Local:Done names the report (report.e2e.spec.ts opens it).
    expect(local.errorLine).toBeUndefined();
    expect(String(local.logs.find((log) => log['event'] === 'Local:Done')?.['report'])).toMatch(/\/report\.html$/);
    expect(local.code).toBe(0);
    const table = (output: string) => output.split('\n').filter((line) => line.startsWith('│'));
    expect(table(local.stdout)).toEqual(table(stages.merge.stdout));
    expect(table(local.stdout).length).toBeGreaterThan(10);
  });
});
