import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_S3_CREDENTIALS } from '@wordbatch/local-s3';
import { putObjects, runProgram, startTestS3, type StageRun, type TestS3 } from './harness';

// The AWS CLI's --profile and --endpoint-url on every bundled program that reads S3 (plan,
// migrate, merge, wordbatch report), against the embedded S3 server. It answers only requests
// signed with its own access key id (others: 403 InvalidAccessKeyId), so a program's outcome
// shows whose key it sent. The environment holds a key the server refuses, as a user's shell
// might: --profile must win over it, as in the AWS CLI.

const SRC = 'profile-source';
const DST = 'profile-results';
let s3: TestS3;
let directory: string;
let env: Record<string, string>;

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
  await putObjects(s3.store, SRC, [
    ['books/a.txt', 'river river stone'],
    ['books/b.txt', 'river stone stone'],
  ]);
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-aws-flags-'));
  writeFileSync(
    join(directory, 'credentials'),
    `[accepted]\naws_access_key_id = ${LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY}\n` +
      '[refused]\naws_access_key_id = AKIAREFUSEDBYSERVER\naws_secret_access_key = refused\n',
  );
  writeFileSync(join(directory, 'config'), '[profile accepted]\nregion = eu-west-3\n[profile refused]\nregion = eu-west-3\n');
  env = {
    AWS_SHARED_CREDENTIALS_FILE: join(directory, 'credentials'),
    AWS_CONFIG_FILE: join(directory, 'config'),
    AWS_ACCESS_KEY_ID: 'AKIAINTHEENVIRONMENT',
    AWS_SECRET_ACCESS_KEY: 'environment-secret',
  };
});

afterAll(async () => {
  await s3.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** Runs a bundle with the flags of the AWS CLI before and after its own (they may stand anywhere). */
function run(program: string, args: readonly string[], profile: string): Promise<StageRun> {
  return runProgram(program, ['--endpoint-url', s3.server.endpoint, ...args, '--profile', profile], env);
}

const PLAN = ['--source', `s3://${SRC}/books/`, '--destination', `s3://${DST}/out/`, '--plan', `s3://${DST}/plans/books.json`, '--shards', '1'];

describe('--profile and --endpoint-url reach every program that reads S3', () => {
  it('with the refused profile, plan is access denied (exit 4, one line naming the key the server refused) and writes nothing', async () => {
    const refused = await run('plan', PLAN, 'refused');
    expect(refused.code).toBe(4);
    expect(refused.errorLine).toMatch(/^wordbatch plan: error: access denied to s3:\/\/profile-source\/books\/ \(InvalidAccessKeyId\)/);
    expect(await s3.store.head({ bucket: DST, key: 'plans/books.json' })).toBeUndefined();
  });

  it('with the accepted profile, over a refused key in the environment, plan, migrate, merge and report all succeed', async () => {
    const plan = await run('plan', PLAN, 'accepted');
    expect([plan.code, plan.errorLine]).toEqual([0, undefined]);
    const migrate = await run('migrate', ['--plan', `s3://${DST}/plans/books.json`], 'accepted');
    expect([migrate.code, migrate.errorLine]).toEqual([0, undefined]);
    const merge = await run('merge', ['--destination', `s3://${DST}/out/`, '--format', 'csv', '--min-count', '1'], 'accepted');
    expect([merge.code, merge.errorLine]).toEqual([0, undefined]);
    expect(merge.stdout).toBe('word,count\nriver,3\nstone,3\n');
    const html = join(directory, 'report.html');
    const report = await runProgram('wordbatch', ['report', '--results', `s3://${DST}/out/`, '--html', html, '--endpoint-url', s3.server.endpoint, '--profile', 'accepted'], env);
    expect([report.code, report.errorLine]).toEqual([0, undefined]);
    expect(existsSync(html)).toBe(true);
  });

  it('with the refused profile, merge and report are refused too: the profile, not the environment, signs every request', async () => {
    expect((await run('merge', ['--destination', `s3://${DST}/out/`], 'refused')).code).toBe(4);
    const report = await runProgram('wordbatch', ['report', '--results', `s3://${DST}/out/`, '--html', join(directory, 'no.html'), '--endpoint-url', s3.server.endpoint, '--profile', 'refused'], env);
    expect(report.code).toBe(4);
    expect(existsSync(join(directory, 'no.html'))).toBe(false);
  });
});
