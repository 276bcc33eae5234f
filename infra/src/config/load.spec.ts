import * as path from 'node:path';
import { STAGES } from '@wordbatch/pipeline';
import { tempFolder } from '../testing/synth';
import { ConfigError, loadConfig } from './load';

function load(env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const baseDir = tempFolder(files);
  return { baseDir, ...loadConfig({ env, baseDir }) };
}

function loadError(env: Record<string, string> = {}, files: Record<string, string> = {}): string {
  try {
    load(env, files);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('has working defaults without a file or variables', () => {
    const { config, file, documentsDir, baseDir } = load();
    expect(file).toBeUndefined();
    expect(config).toMatchObject({
      region: 'us-east-1',
      namePrefix: 'wordbatch',
      computeType: 'fargate',
      maxVcpus: 32,
      retryAttempts: 3,
      logRetentionDays: 30,
      imageTag: 'latest',
      buckets: { versioning: false, plansPrefix: 'plans/', resultsPrefix: 'out/', inputsPrefix: 'inputs/' },
      documents: { upload: true, keyPrefix: 'documents/' },
      network: { vpcCidr: '10.42.0.0/16', availabilityZones: 2 },
    });
    expect(config.network.subnetIds).toBeUndefined();
    expect(documentsDir).toBe(path.resolve(baseDir, '../documents'));
  });

  it('sizes every stage from the stage catalog by default', () => {
    const { config } = load();
    for (const stage of ['plan', 'migrate', 'merge'] as const) {
      expect(config.stages[stage]).toEqual({
        vcpus: STAGES[stage].vcpus,
        memoryMiB: STAGES[stage].memoryMiB,
        timeoutSeconds: STAGES[stage].timeoutSeconds,
      });
    }
  });

  it('reads wordbatch.config.json and lets variables override it', () => {
    const { config, file, baseDir } = load(
      { WORDBATCH_REGION: 'eu-central-1', WORDBATCH_MIGRATE_MEMORY_MIB: '8192' },
      {
        'wordbatch.config.json': JSON.stringify({
          region: 'eu-west-1',
          computeType: 'ec2',
          maxVcpus: 64,
          stages: { migrate: { vcpus: 4, memoryMiB: 4096 } },
        }),
      },
    );
    expect(file).toBe(path.join(baseDir, 'wordbatch.config.json'));
    expect(config.region).toBe('eu-central-1');
    expect(config.computeType).toBe('ec2');
    expect(config.stages.migrate).toEqual({
      vcpus: 4,
      memoryMiB: 8192,
      timeoutSeconds: STAGES.migrate.timeoutSeconds,
    });
    expect(config.stages.plan).toEqual({
      vcpus: STAGES.plan.vcpus,
      memoryMiB: STAGES.plan.memoryMiB,
      timeoutSeconds: STAGES.plan.timeoutSeconds,
    });
  });

  it('parses numbers, booleans and lists from variables', () => {
    const { config } = load({
      WORDBATCH_MAX_VCPUS: '128',
      WORDBATCH_UPLOAD_DOCUMENTS: 'false',
      WORDBATCH_VERSIONING: 'yes',
      WORDBATCH_SUBNET_IDS: 'subnet-1, subnet-2',
      WORDBATCH_SECURITY_GROUP_IDS: 'sg-1',
      WORDBATCH_LOG_RETENTION_DAYS: '7',
    });
    expect(config.maxVcpus).toBe(128);
    expect(config.documents.upload).toBe(false);
    expect(config.buckets.versioning).toBe(true);
    expect(config.network.subnetIds).toEqual(['subnet-1', 'subnet-2']);
    expect(config.network.securityGroupIds).toEqual(['sg-1']);
    expect(config.logRetentionDays).toBe(7);
  });

  it('takes the file from WORDBATCH_CONFIG and resolves documents.path from its folder', () => {
    const { config, documentsDir, baseDir } = load(
      { WORDBATCH_CONFIG: 'envs/prod.json' },
      { 'envs/prod.json': JSON.stringify({ namePrefix: 'wb-prod', documents: { path: 'corpus' } }) },
    );
    expect(config.namePrefix).toBe('wb-prod');
    expect(documentsDir).toBe(path.join(baseDir, 'envs', 'corpus'));
  });

  it('accepts the example config shipped with the project', () => {
    const baseDir = path.resolve(__dirname, '../..');
    const { config } = loadConfig({ env: { WORDBATCH_CONFIG: 'wordbatch.config.example.json' }, baseDir });
    expect(config.region).toBe('eu-west-1');
  });

  it('reports WORDBATCH_* variables it does not know', () => {
    expect(load({ WORDBATCH_REGON: 'eu-west-1' }).unknownEnv).toEqual(['WORDBATCH_REGON']);
  });
});

describe('loadConfig rejects a bad value, naming the setting and where it came from', () => {
  it.each([
    [{ WORDBATCH_COMPUTE_TYPE: 'lambda' }, /computeType \(from WORDBATCH_COMPUTE_TYPE\): Invalid option/],
    [{ WORDBATCH_MAX_VCPUS: 'lots' }, /maxVcpus \(from WORDBATCH_MAX_VCPUS\): .*expected number/],
    [{ WORDBATCH_UPLOAD_DOCUMENTS: 'maybe' }, /documents\.upload \(from WORDBATCH_UPLOAD_DOCUMENTS\)/],
    [{ WORDBATCH_LOG_RETENTION_DAYS: '10' }, /logRetentionDays \(from WORDBATCH_LOG_RETENTION_DAYS\): must be one of 1, 3, 5/],
    [{ WORDBATCH_REGION: 'Europe' }, /region \(from WORDBATCH_REGION\): must be an AWS region/],
    [{ WORDBATCH_NAME_PREFIX: 'Word_Batch' }, /namePrefix \(from WORDBATCH_NAME_PREFIX\)/],
    [{ WORDBATCH_PLANS_PREFIX: '/plans' }, /buckets\.plansPrefix \(from WORDBATCH_PLANS_PREFIX\): must be a folder/],
    [{ WORDBATCH_RESULTS_PREFIX: 'plans/sub/' }, /buckets\.resultsPrefix .*must not overlap/],
    [{ WORDBATCH_INPUTS_PREFIX: 'out/' }, /buckets\.inputsPrefix \(from WORDBATCH_INPUTS_PREFIX\): must not overlap buckets\.resultsPrefix/],
    [{ WORDBATCH_PLAN_TIMEOUT_SECONDS: '30' }, /stages\.plan\.timeoutSeconds \(from WORDBATCH_PLAN_TIMEOUT_SECONDS\): must be at least 60/],
    [{ WORDBATCH_SUBNET_IDS: 'subnet-1' }, /network\.securityGroupIds .*give both/],
    [
      { WORDBATCH_MIGRATE_MEMORY_MIB: '3000' },
      /stages\.migrate\.memoryMiB \(from WORDBATCH_MIGRATE_MEMORY_MIB\): 3000 MiB is not valid on Fargate with 2 vCPU: use 4096 to 16384 in steps of 1024/,
    ],
    [{ WORDBATCH_MERGE_VCPUS: '3' }, /stages\.merge\.vcpus .*not a Fargate size/],
    [{ WORDBATCH_MAX_VCPUS: '1' }, /stages\.migrate\.vcpus .*exceeds maxVcpus \(1\)/],
    [
      { WORDBATCH_COMPUTE_TYPE: 'ec2', WORDBATCH_CPU_ARCHITECTURE: 'ARM64' },
      /instanceTypes .*"optimal" is x86 only/,
    ],
  ])('%j', (env, message) => {
    expect(loadError(env)).toMatch(message);
  });

  it('names a bad setting from the file, and an unknown key', () => {
    const message = loadError(
      {},
      { 'wordbatch.config.json': JSON.stringify({ logRetentionDays: 10, regoin: 'eu-west-1' }) },
    );
    expect(message).toMatch(/logRetentionDays \(from wordbatch\.config\.json\): must be one of/);
    expect(message).toMatch(/regoin \(from wordbatch\.config\.json\): is not a known setting/);
  });

  it('lists every problem at once', () => {
    const message = loadError({ WORDBATCH_COMPUTE_TYPE: 'lambda', WORDBATCH_IMAGE_TAG: 'no tags!' });
    expect(message.split('\n')).toHaveLength(3);
  });

  it('rejects a config file that is not JSON, or missing', () => {
    expect(loadError({}, { 'wordbatch.config.json': '{ region: eu-west-1 }' })).toMatch(
      /wordbatch\.config\.json is not valid JSON/,
    );
    expect(loadError({ WORDBATCH_CONFIG: 'missing.json' })).toMatch(/Cannot read config file .*missing\.json/);
  });
});
