import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchClient, SubmitJobCommand, type SubmitJobCommandInput } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { describePipeline, type StageName } from '@wordbatch/pipeline';
import { parseS3Path } from '@wordbatch/s3-path';
import { runLocally, type StageLauncher } from '../local/local-executor';
import { submitRun } from './aws-executor';
import { testApi } from './batch-fakes.spec-helper';
import { describeSubmission, parseSubmitOptions } from './submit-options';

const batch = mockClient(BatchClient);
afterAll(() => batch.restore());

/**
 * Both executors consume one description: `submit` builds its run with describePipeline, the
 * function `local` uses, and given that run the local executor starts exactly the stage
 * programs, args and copies that the AWS executor submits as container commands and arrays.
 */
describe('one pipeline description, two executors', () => {
  const argv = [
    '--queue', 'q',
    '--source', 's3://corpus/books/',
    '--destination', 's3://results/out/',
    '--shards', '3',
    '--name', 'books',
    '--tokenizer', 'whitespace',
    '--include', '*.txt',
    '--top', '5',
    '--allow-partial',
  ];

  it('submit describes its run with describePipeline, from the same options', () => {
    const run = describeSubmission(parseSubmitOptions(argv), new Date());
    expect(run).toEqual(
      describePipeline({
        source: parseS3Path('s3://corpus/books/'),
        destination: parseS3Path('s3://results/out/'),
        shards: 3,
        name: 'books',
        tokenizer: 'whitespace',
        perFile: false,
        include: ['*.txt'],
        exclude: [],
        top: 5,
        allowPartial: true,
      }),
    );
  });

  it('runs locally what it submits to AWS Batch', async () => {
    const run = describeSubmission(parseSubmitOptions(argv), new Date());

    batch.reset();
    let next = 0;
    batch.on(SubmitJobCommand).callsFake((input: SubmitJobCommandInput) => ({ jobId: `id-${++next}`, jobName: input.jobName }));
    await submitRun(run, { jobQueue: 'q', jobDefinitions: { plan: 'p', migrate: 'm', merge: 'g' }, logGroup: 'l' }, testApi());
    const submitted = batch.commandCalls(SubmitJobCommand).map((call) => {
      const input = call.args[0].input;
      return { stage: input.jobName?.replace('books-', ''), args: input.containerOverrides?.command, copies: input.arrayProperties?.size ?? 1 };
    });

    const started: Array<{ stage: StageName; args: readonly string[]; index?: string }> = [];
    const launcher: StageLauncher = {
      command(stage, args, env) {
        started.push({ stage, args, index: env['AWS_BATCH_JOB_ARRAY_INDEX'] });
        return { argv: [process.execPath, '-e', ''], env: {} };
      },
    };
    const logDir = mkdtempSync(join(tmpdir(), 'wordbatch-same-'));
    try {
      await runLocally(run, { launcher, env: {}, parallel: 2, logDir, signal: new AbortController().signal });
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
    const local = ['plan', 'migrate', 'merge'].map((stage) => {
      const copies = started.filter((copy) => copy.stage === stage);
      return { stage, args: copies[0].args, copies: copies.length };
    });

    expect(local).toEqual(submitted);
    expect(started.filter((copy) => copy.stage === 'migrate').map((copy) => copy.index).sort()).toEqual(['0', '1', '2']);
  });
});
