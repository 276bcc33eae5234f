import { UsageError } from '@wordbatch/errors';
import { parseS3Path } from '@wordbatch/s3-path';
import { defaultPlanUri, describeMergeStage, describeMigrateStage, describePipeline, describePlanStage } from './describe';

const s3 = parseS3Path;

describe('describePipeline', () => {
  const options = { source: s3('s3://corpus/books/'), destination: s3('s3://results/out/'), shards: 8, name: 'books-1' };

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
    expect(run.stages[2].args).toEqual(['--destination', 's3://results/out/', '--plan', 's3://results/plans/books-1.json']);
  });

  it('passes every option to the stage that owns it', () => {
    const run = describePipeline({
      ...options,
      plan: s3('s3://plans-bucket/p.json'),
      tokenizer: 'whitespace',
      perFile: true,
      include: ['*.txt'],
      exclude: ['tmp/*'],
      concurrency: 4,
      top: 10,
      format: 'json',
    });
    expect(run.stages[0].args).toEqual(
      expect.arrayContaining(['--tokenizer', 'whitespace', '--per-file', '--include', '*.txt', '--exclude', 'tmp/*']),
    );
    expect(run.stages[1].args).toEqual(['--plan', 's3://plans-bucket/p.json', '--concurrency', '4']);
    expect(run.stages[2].args.slice(-4)).toEqual(['--top', '10', '--format', 'json']);
  });

  it('refuses, with the stage own message, a command its stage would refuse', () => {
    expect(() => describePipeline({ ...options, destination: s3('s3://corpus/books/out/') })).toThrow(UsageError);
    expect(() => describePipeline({ ...options, destination: s3('s3://corpus/books/out/') })).toThrow(/overlaps the source/);
    expect(() => describePipeline({ ...options, plan: s3('s3://results/plans/p.txt') })).toThrow(/--plan must name a \.json object/);
  });

  it('rejects a name that cannot be a job or object name', () => {
    expect(() => describePipeline({ ...options, name: 'bad name' })).toThrow(/run name/);
    expect(() => describePipeline({ ...options, name: 'x'.repeat(65) })).toThrow(/run name/);
  });

  it('puts plans in the destination bucket by default', () => {
    expect(defaultPlanUri(s3('s3://bkt/a/b/'), 'r1')).toEqual(s3('s3://bkt/plans/r1.json'));
  });
});

describe('per-stage descriptions', () => {
  it('are the stages of the whole run, without the run-internal dependencies', () => {
    const options = { source: s3('s3://src/a/'), destination: s3('s3://dst/out/'), shards: 4, name: 'r', concurrency: 2, top: 5 };
    const run = describePipeline(options);
    const plan = s3(run.plan);
    expect([
      describePlanStage({ ...options, plan }),
      describeMigrateStage({ ...options, plan, arraySize: 4 }),
      describeMergeStage({ ...options, plan }),
    ]).toEqual(run.stages.map((stage) => ({ ...stage, dependsOn: [] })));
  });

  it('gives migrate the index map of a retry', () => {
    expect(describeMigrateStage({ plan: s3('s3://dst/plans/r.json'), arraySize: 2, indexMap: s3('s3://dst/out/p/retries/retry-1.json') }).args).toEqual([
      '--plan', 's3://dst/plans/r.json', '--index-map', 's3://dst/out/p/retries/retry-1.json',
    ]);
  });
});
