import { defaultPlanUri, describeMergeStage, describeMigrateStage, describePipeline, describePlanStage } from './describe';

describe('describePipeline', () => {
  const options = {
    source: 's3://corpus/books/',
    destination: 's3://results/out/',
    shards: 8,
    name: 'books-1',
  };

  it('describes plan, an array of migrate children, then merge', () => {
    const run = describePipeline(options);
    expect(run.plan).toBe('s3://results/plans/books-1.json');
    expect(run.stages.map((stage) => [stage.stage, stage.arraySize, stage.dependsOn])).toEqual([
      ['plan', 1, []],
      ['migrate', 8, ['plan']],
      ['merge', 1, ['migrate']],
    ]);
    expect(run.stages[0].args).toEqual([
      '--source', 's3://corpus/books/',
      '--destination', 's3://results/out/',
      '--plan', 's3://results/plans/books-1.json',
      '--shards', '8',
    ]);
    expect(run.stages[1].args).toEqual(['--plan', 's3://results/plans/books-1.json']);
    expect(run.stages[2].args).toEqual(['--source', 's3://results/out/', '--plan', 's3://results/plans/books-1.json']);
  });

  it('passes every option to the stage that owns it', () => {
    const run = describePipeline({
      ...options,
      plan: 's3://plans-bucket/p.json',
      tokenizer: 'whitespace',
      perFile: true,
      include: ['*.txt'],
      exclude: ['tmp/*'],
      migrateConcurrency: 4,
      mergeArgs: ['--top', '10', '--output', 'json'],
    });
    expect(run.stages[0].args).toEqual(
      expect.arrayContaining(['--tokenizer', 'whitespace', '--per-file', '--include', '*.txt', '--exclude', 'tmp/*']),
    );
    expect(run.stages[1].args).toEqual(['--plan', 's3://plans-bucket/p.json', '--concurrency', '4']);
    expect(run.stages[2].args.slice(-4)).toEqual(['--top', '10', '--output', 'json']);
  });

  it('rejects a name that cannot be a job or object name', () => {
    expect(() => describePipeline({ ...options, name: 'bad name' })).toThrow(/run name/);
    expect(() => describePipeline({ ...options, name: 'x'.repeat(65) })).toThrow(/run name/);
  });

  it('puts plans in the destination bucket by default', () => {
    expect(defaultPlanUri('s3://bkt/a/b/', 'r1')).toBe('s3://bkt/plans/r1.json');
  });
});

describe('per-stage descriptions', () => {
  it('are the stages of the whole run, without the run-internal dependencies', () => {
    const options = { source: 's3://src/a/', destination: 's3://dst/out/', shards: 4, name: 'r', migrateConcurrency: 2, mergeArgs: ['--top', '5'] };
    const run = describePipeline(options);
    const plan = run.plan;
    expect([describePlanStage({ ...options, plan }), describeMigrateStage({ ...options, plan }), describeMergeStage({ ...options, plan })]).toEqual(
      run.stages.map((stage) => ({ ...stage, dependsOn: [] })),
    );
  });

  it('gives migrate the index map of a retry', () => {
    expect(describeMigrateStage({ plan: 's3://dst/plans/r.json', shards: 2, indexMap: 's3://dst/out/p/retries/retry-1.json' }).args).toEqual([
      '--plan', 's3://dst/plans/r.json', '--index-map', 's3://dst/out/p/retries/retry-1.json',
    ]);
  });
});
