import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import type { ConfigInput } from './config/schema';
import { WordbatchStack } from './stack';
import { loadProviderSchema, type ProviderSchema } from './testing/provider-schema';
import { tempFolder, testConfig } from './testing/synth';

// The plain Terraform route (README, "Escape hatch"): the synthesized cdk.tf.json is all that
// `terraform` or `tofu` apply, so it must stand on its own. Checked offline against the schema of
// the pinned hashicorp/aws provider as the prebuilt bindings carry it (testing/provider-schema.ts):
// every resource and data source type exists, every argument is one the block has, of its type,
// and no required argument is missing; plus the provider pin and the state backend.

const PINNED_PROVIDER = (require('@cdktf/provider-aws/package.json') as { cdktf: { provider: { name: string; version: string } } }).cdktf.provider;

/** What `npx nx run infra:synth` writes, for one configuration: main.ts's App, synthesized into a scratch folder. */
function synthesize(input: ConfigInput, documentsDir: string): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'wordbatch-plain-terraform-'));
  try {
    const app = new App({ outdir });
    new WordbatchStack(app, 'wordbatch', { config: testConfig(input), documentsDir });
    app.synth();
    return JSON.parse(readFileSync(join(outdir, 'stacks', 'wordbatch', 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const CONFIGURATIONS: Record<string, ConfigInput> = {
  'Fargate, own VPC (the default)': {},
  'EC2 on ARM64, versioned buckets': { computeType: 'ec2', cpuArchitecture: 'ARM64', instanceTypes: ['m7g.large'], buckets: { versioning: true, forceDestroy: true } },
  'Spot, your own subnets': { computeType: 'spot', network: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] } },
};

describe('the synthesized stack, applied with plain terraform or tofu', () => {
  let schema: ProviderSchema;
  let documents: string;
  const synthesized: Record<string, Record<string, unknown>> = {};

  beforeAll(() => {
    schema = loadProviderSchema();
    documents = tempFolder({ 'a.txt': 'one two', 'sub folder/b c.txt': 'three' });
    for (const [name, input] of Object.entries(CONFIGURATIONS)) synthesized[name] = synthesize(input, documents);
  }, 300_000);
  afterAll(() => rmSync(documents, { recursive: true, force: true }));

  it('checks against the schema of the provider version the stack pins', () => {
    expect(PINNED_PROVIDER).toEqual({ name: 'registry.terraform.io/hashicorp/aws', version: '6.25.0' });
    expect([...schema.versions]).toEqual([PINNED_PROVIDER.version]);
    for (const tf of Object.values(synthesized)) {
      expect(tf['terraform']).toMatchObject({ required_providers: { aws: { source: 'aws', version: PINNED_PROVIDER.version } } });
    }
  });

  it.each(Object.keys(CONFIGURATIONS))('%s: every block fits the provider schema', (name) => {
    const tf = synthesized[name];
    expect(schema.validate(tf)).toEqual([]);
    // The check saw every block: each type the stack uses is one the provider has.
    for (const type of Object.keys(tf['resource'] as object)) expect(schema.resourceTypes.has(type)).toBe(true);
    for (const type of Object.keys(tf['data'] as object)) expect(schema.dataSourceTypes.has(type)).toBe(true);
  });

  it('keeps state in a local file beside infra/, which a plain `terraform init` takes as it is', () => {
    const tf = synthesized['Fargate, own VPC (the default)'];
    expect(tf['terraform']).toMatchObject({ backend: { local: { path: join(process.cwd(), 'terraform.wordbatch.tfstate') } } });
  });

  it('catches what terraform would refuse: an unknown type or argument, a missing required one, a wrong type', () => {
    const tf = structuredClone(synthesized['Fargate, own VPC (the default)']) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const [queueId, queue] = Object.entries(tf.resource['aws_batch_job_queue'])[0];
    const [definitionId, definition] = Object.entries(tf.resource['aws_batch_job_definition'])[0];
    delete queue['name'];
    queue['priorty'] = 1;
    definition['retry_strategy'] = { attempts: 'three', evaluate_on_exit: [{ action: 'RETRY', on_exit_cod: '75' }] };
    tf.resource['aws_batch_jobqueue'] = { q: { name: 'x' } };
    expect(schema.validate(tf)).toEqual([
      `resource.aws_batch_job_definition.${definitionId}.retry_strategy.attempts: a number expected, found "three"`,
      `resource.aws_batch_job_definition.${definitionId}.retry_strategy.evaluate_on_exit[0].on_exit_cod: not an argument of this block`,
      `resource.aws_batch_job_queue.${queueId}.priorty: not an argument of this block`,
      `resource.aws_batch_job_queue.${queueId}: required argument name missing`,
      'resource.aws_batch_jobqueue: not a resource type of hashicorp/aws',
    ]);
  });
});
