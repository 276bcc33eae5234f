import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UsageError } from '@wordbatch/errors';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { awsClientSettings } from './aws-environment';
import { createS3Client } from './client';
import { ObjectStore } from './object-store';

// The local S3 server (s3rver) answers only requests signed with its access key id, and refuses
// any other with 403 InvalidAccessKeyId: which profile's key was sent shows in the outcome.
const BUCKET = 'profiles';
let server: LocalS3;
let directory: string;
let files: Record<string, string>;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-profiles-'));
  server = await startLocalS3({ directory: join(directory, 's3'), buckets: [BUCKET] });
  const credentials = join(directory, 'credentials');
  const config = join(directory, 'config');
  writeFileSync(
    credentials,
    [
      '[accepted]',
      `aws_access_key_id = ${LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID}`,
      `aws_secret_access_key = ${LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
      '[refused]',
      'aws_access_key_id = AKIAREFUSEDBYSERVER',
      'aws_secret_access_key = refused-secret',
      '',
    ].join('\n'),
  );
  writeFileSync(config, ['[profile accepted]', 'region = eu-west-3', '[profile refused]', 'region = ap-south-1', '[default]', 'region = ca-central-1', ''].join('\n'));
  files = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
});

afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Lists the bucket with a client made from `env` (the server's endpoint added): the outcome shows whose key was sent. */
async function listWith(env: Record<string, string>): Promise<void> {
  const store = new ObjectStore(createS3Client({ AWS_ENDPOINT_URL_S3: server.endpoint, ...files, ...env }));
  try {
    for await (const object of store.list({ bucket: BUCKET, key: '' })) void object;
  } finally {
    store.destroy();
  }
}

describe('createS3Client reads the AWS environment as the AWS CLI does', () => {
  it("sends the named profile's key: the accepted profile lists, the refused one is access denied", async () => {
    await expect(listWith({ AWS_PROFILE: 'accepted' })).resolves.toBeUndefined();
    await expect(listWith({ AWS_PROFILE: 'refused' })).rejects.toMatchObject({
      exitCode: ExitCode.AccessDenied,
      message: expect.stringContaining('InvalidAccessKeyId'),
    });
  });

  it('takes keys in the environment over AWS_PROFILE (--profile removes them first: see takeCommonFlags)', async () => {
    await expect(listWith({ AWS_PROFILE: 'refused', ...LOCAL_S3_CREDENTIALS })).resolves.toBeUndefined();
    await expect(listWith({ AWS_PROFILE: 'accepted', AWS_ACCESS_KEY_ID: 'AKIAREFUSEDBYSERVER', AWS_SECRET_ACCESS_KEY: 'x' })).rejects.toMatchObject({
      exitCode: ExitCode.AccessDenied,
    });
  });

  it('refuses a profile found in neither file with a usage error naming it, before any request', async () => {
    const error = await listWith({ AWS_PROFILE: 'nobody' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`the profile "nobody" (--profile or AWS_PROFILE) is in neither ${files['AWS_CONFIG_FILE']} nor ${files['AWS_SHARED_CREDENTIALS_FILE']}`);
  });

  it("takes the region from AWS_REGION, else the profile's (the default profile's without one), else us-east-1 for S3", async () => {
    const region = (env: Record<string, string>, service: 'S3' | 'BATCH' = 'S3') => awsClientSettings({ ...files, ...env }, service).region();
    await expect(region({ AWS_PROFILE: 'accepted' })).resolves.toBe('eu-west-3');
    await expect(region({ AWS_PROFILE: 'accepted', AWS_REGION: 'us-west-1' })).resolves.toBe('us-west-1');
    await expect(region({ AWS_PROFILE: 'accepted', AWS_DEFAULT_REGION: 'sa-east-1' })).resolves.toBe('sa-east-1');
    await expect(region({})).resolves.toBe('ca-central-1');
    await expect(region({ AWS_CONFIG_FILE: join(directory, 'no-such-config') })).resolves.toBe('us-east-1');
    await expect(region({ AWS_CONFIG_FILE: join(directory, 'no-such-config') }, 'BATCH')).rejects.toThrow(
      'no AWS region for AWS Batch: pass --region, set AWS_REGION, or give the profile a region',
    );
  });

  it("takes a service's own endpoint over the shared one", () => {
    expect(awsClientSettings({ AWS_ENDPOINT_URL: 'http://shared', AWS_ENDPOINT_URL_BATCH: 'http://batch' }, 'BATCH').endpoint).toBe('http://batch');
    expect(awsClientSettings({ AWS_ENDPOINT_URL: 'http://shared', AWS_ENDPOINT_URL_BATCH: 'http://batch' }, 'S3').endpoint).toBe('http://shared');
    expect(awsClientSettings({}, 'S3').endpoint).toBeUndefined();
  });
});
