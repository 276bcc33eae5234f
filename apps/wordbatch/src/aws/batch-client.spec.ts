import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runStage } from '@wordbatch/cli';
import { statusCommand } from './commands';

// `wordbatch status` against an emulation of the AWS Batch API at its HTTP protocol (REST-JSON:
// DescribeJobs is POST /v1/describejobs with {"jobs": [ids]}, answered with {"jobs": [JobDetail]};
// https://docs.aws.amazon.com/batch/latest/APIReference/API_DescribeJobs.html), recording each
// request's SigV4 Authorization header, whose Credential names the access key id and the region.

const JOB_ID = '7f1c2f0e-5f0a-4f77-9d55-0b2b1a3c4d5e';
let server: Server;
let endpoint: string;
let directory: string;
let files: Record<string, string>;
const requests: Array<{ path: string; authorization: string }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests.push({ path: request.url ?? '', authorization: String(request.headers.authorization) });
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          jobs: [
            {
              jobName: 'books-merge',
              jobId: JOB_ID,
              jobQueue: 'arn:aws:batch:eu-west-3:123456789012:job-queue/wordbatch',
              jobDefinition: 'arn:aws:batch:eu-west-3:123456789012:job-definition/wordbatch-merge:1',
              status: 'SUCCEEDED',
              createdAt: 1_700_000_000_000,
              startedAt: 1_700_000_001_000,
              stoppedAt: 1_700_000_002_000,
              dependsOn: [],
              container: { command: [], exitCode: 0 },
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-batch-profiles-'));
  writeFileSync(join(directory, 'credentials'), '[ops]\naws_access_key_id = AKIAPROFILEOPS\naws_secret_access_key = ops-secret\n');
  writeFileSync(join(directory, 'config'), '[profile ops]\nregion = eu-west-3\n');
  files = { AWS_SHARED_CREDENTIALS_FILE: join(directory, 'credentials'), AWS_CONFIG_FILE: join(directory, 'config') };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

beforeEach(() => (requests.length = 0));

async function status(argv: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runStage(statusCommand({ stderr }), { argv, env, stdout, stderr, signal: new AbortController().signal });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const ENVIRONMENT_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'environment-secret', AWS_REGION: 'us-west-2' };

describe('the Batch client of status (and submit, retry-failed) follows the AWS CLI flags', () => {
  it("--endpoint-url reaches Batch, and --profile's key and region sign the request, over keys in the environment", async () => {
    const run = await status(['--job', JOB_ID, '--endpoint-url', endpoint, '--profile', 'ops'], { ...files, ...ENVIRONMENT_KEYS, AWS_REGION: '' });
    expect(run.code).toBe(0);
    expect(requests.map((request) => request.path)).toEqual(['/v1/describejobs']);
    expect(requests[0].authorization).toContain('Credential=AKIAPROFILEOPS/');
    expect(requests[0].authorization).toContain('/eu-west-3/batch/aws4_request');
  });

  it('without --profile, the keys and region of the environment, and AWS_ENDPOINT_URL_BATCH', async () => {
    const run = await status(['--job', JOB_ID], { ...files, ...ENVIRONMENT_KEYS, AWS_PROFILE: 'ops', AWS_ENDPOINT_URL_BATCH: endpoint });
    expect(run.code).toBe(0);
    expect(requests[0].authorization).toContain('Credential=AKIAENVIRONMENT/');
    expect(requests[0].authorization).toContain('/us-west-2/batch/aws4_request');
  });

  it('--region wins over the profile', async () => {
    const run = await status(['--job', JOB_ID, '--endpoint-url', endpoint, '--profile', 'ops', '--region', 'ap-northeast-1'], files);
    expect(run.code).toBe(0);
    expect(requests[0].authorization).toContain('/ap-northeast-1/batch/aws4_request');
  });

  it('a profile that does not exist is one usage line (exit 2), and nothing is sent', async () => {
    const run = await status(['--job', JOB_ID, '--endpoint-url', endpoint, '--profile', 'nobody', '--region', 'eu-west-1'], files);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'))).toEqual([`wordbatch status: error: the profile "nobody" (--profile or AWS_PROFILE) is in neither ${files['AWS_CONFIG_FILE']} nor ${files['AWS_SHARED_CREDENTIALS_FILE']}`]);
    expect(requests).toEqual([]);
  });
});
