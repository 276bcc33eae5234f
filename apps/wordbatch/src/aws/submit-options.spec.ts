import { formatCommandLine, parseCommandLine, type FlagSet } from '@wordbatch/cli';
import { ExitCode, StageError } from '@wordbatch/errors';
import { formatS3Path, parseS3Path } from '@wordbatch/s3-path';
import { MERGE_COMMAND, MERGE_FLAGS, MIGRATE_COMMAND, MIGRATE_FLAGS, PLAN_COMMAND, PLAN_FLAGS } from '@wordbatch/stage-commands';
import { describeSubmission, parseSubmitOptions, timestampRunName } from './submit-options';
import { parseInfraOutputs, resolveTarget } from './target';

const now = new Date('2025-03-14T09:26:53.123Z');

describe('submit options', () => {
  it('describes one stage of the seed workflow with the run options that stage needs', () => {
    const plan = describeSubmission(
      parseSubmitOptions(['plan', '--queue', 'q', '--source', 's3://src/docs/', '--destination', 's3://dst/out', '--name', 'docs', '--shards', '2']),
      now,
    );
    expect(plan).toEqual({
      name: 'docs',
      plan: 's3://dst/plans/docs.json',
      destination: 's3://dst/out/',
      stages: [
        {
          stage: 'plan',
          args: ['--source', 's3://src/docs/', '--destination', 's3://dst/out/', '--plan', 's3://dst/plans/docs.json', '--shards', '2'],
          arraySize: 1,
          dependsOn: [],
        },
      ],
    });
    const merge = describeSubmission(
      parseSubmitOptions(['merge', '--queue', 'q', '--destination', 's3://dst/out/', '--plan', 's3://dst/plans/docs.json', '--top', '20', '--depends-on', 'abc']),
      now,
    );
    expect(merge.name).toBe('docs');
    expect(merge.stages).toEqual([{ stage: 'merge', args: ['--destination', 's3://dst/out/', '--plan', 's3://dst/plans/docs.json', '--top', '20'], arraySize: 1, dependsOn: [] }]);
  });

  it('takes the --depends-on ids of a stage, and no --depends-on for the whole run', () => {
    expect(parseSubmitOptions(['migrate', '--queue', 'q', '--plan', 's3://dst/p.json', '--shards', '4', '--depends-on', 'a', '--depends-on', 'b:3']).dependsOn).toEqual(['a', 'b:3']);
    expect(() => parseSubmitOptions(['--queue', 'q', '--source', 's3://src/', '--destination', 's3://dst/', '--depends-on', 'a'])).toThrow(/unknown flag --depends-on/);
    expect(() => parseSubmitOptions(['migrate', '--queue', 'q', '--plan', 's3://dst/p.json', '--shards', '4', '--depends-on', 'a b'])).toThrow(/--depends-on must be an AWS Batch job id/);
  });

  it('defaults the run name to UTC time, without characters a job name cannot have', () => {
    expect(timestampRunName(now)).toBe('run-20250314-092653');
  });
});

describe('where to submit', () => {
  const flags = { jobDefinitions: {} };

  it('prefers a flag, then the infrastructure outputs, then the naming convention', () => {
    const outputs = parseInfraOutputs(
      JSON.stringify({ job_queue: { value: 'wb-queue' }, job_definition_names: { value: { plan: 'wb-plan', migrate: 'wb-migrate', merge: 'wb-merge' } } }),
      'out.json',
    );
    expect(resolveTarget({ ...flags, jobDefinitions: { plan: 'mine' } }, outputs)).toEqual({
      jobQueue: 'wb-queue',
      jobDefinitions: { plan: 'mine', migrate: 'wb-migrate', merge: 'wb-merge' },
      logGroup: '/aws/batch/wordbatch',
    });
    expect(resolveTarget({ ...flags, queue: 'q', jobDefinitionPrefix: 'team', shareIdentifier: 'a1' })).toEqual({
      jobQueue: 'q',
      jobDefinitions: { plan: 'team-plan', migrate: 'team-migrate', merge: 'team-merge' },
      logGroup: '/aws/batch/team',
      shareIdentifier: 'a1',
    });
  });

  it('names the file and the output that is wrong', () => {
    const error = (() => {
      try {
        parseInfraOutputs(JSON.stringify({ job_queue: { value: 'q' } }), 'out.json');
      } catch (caught) {
        return caught as StageError;
      }
      return undefined;
    })();
    expect(error?.exitCode).toBe(ExitCode.Usage);
    expect(error?.message).toMatch(/^--infra-outputs out.json: job_definition_names: /);
    expect(() => parseInfraOutputs('not json', 'out.json')).toThrow(/terraform output -json > out.json/);
  });
});

describe('submit takes every flag of every stage by reference', () => {
  const samples = (flags: FlagSet, leaveOut: readonly string[]) =>
    Object.fromEntries(Object.entries(flags).filter(([key]) => !leaveOut.includes(key)).map(([key, entry]) => [key, entry.sample]));

  it('hands each stage flag to its stage, where the stage parser reads the same value', () => {
    // --manifest is the other input (it excludes --source and --keys): checked on its own below.
    const planValues = {
      ...samples(PLAN_FLAGS, ['shardBytes', 'source', 'destination', 'plan', 'manifest']),
      source: parseS3Path('s3://src/docs/'),
      destination: parseS3Path('s3://dst/out/'),
    };
    const migrateValues = samples(MIGRATE_FLAGS, ['plan', 'index', 'indexMap']);
    const mergeValues = samples(MERGE_FLAGS, ['destination', 'plan']);
    const argv = [
      '--queue', 'q', '--name', 'docs',
      ...formatCommandLine(PLAN_COMMAND, planValues),
      ...formatCommandLine(MIGRATE_COMMAND, migrateValues),
      ...formatCommandLine(MERGE_COMMAND, mergeValues),
    ];
    const [plan, migrate, merge] = describeSubmission(parseSubmitOptions(argv), now).stages;
    const planFile = parseS3Path('s3://dst/plans/docs.json');
    expect(parseCommandLine(PLAN_COMMAND, plan.args)).toEqual({ ...planValues, plan: planFile, shardBytes: undefined, manifest: undefined });
    const manifest = parseS3Path('s3://inv/src/daily/manifest.json');
    const [fromManifest] = describeSubmission(parseSubmitOptions(['--queue', 'q', '--name', 'docs', '--manifest', formatS3Path(manifest), '--destination', 's3://dst/out/']), now).stages;
    expect(parseCommandLine(PLAN_COMMAND, fromManifest.args)).toMatchObject({ manifest, source: undefined, keys: undefined });
    expect(parseCommandLine(MIGRATE_COMMAND, migrate.args)).toEqual({ ...migrateValues, plan: planFile, index: undefined, indexMap: undefined });
    expect(parseCommandLine(MERGE_COMMAND, merge.args)).toEqual({ ...mergeValues, destination: parseS3Path('s3://dst/out/'), plan: planFile });
  });
});
