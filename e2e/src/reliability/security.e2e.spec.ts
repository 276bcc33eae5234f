import { posix } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { putObjects, startTestS3, type StageRun, type TestS3 } from '../harness';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from './fault-proxy';
import { fingerprint, runStage, writeFigures } from './runs';

/**
 * Secrets never reach the logs, and no plan, however tampered with, makes a stage write
 * outside its destination. The stages run against an embedded S3 server (s3rver) through the
 * loopback proxy of fault-proxy.ts, which records every request they send.
 */

const SRC = 'sec-source';
const DST = 'sec-results';
/** Three levels deep, like `out/<plan id>/files/`: a dot-segment name then reaches the same depth in either bucket. */
const SOURCE = `s3://${SRC}/a/b/c/`;
const DESTINATION = `s3://${DST}/out/`;
const PLAN = `s3://${DST}/plans/p.json`;

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN+/=',
};

let s3: TestS3;
let proxy: FaultProxy;
let env: Record<string, string>;
let sourceBefore: string[];
let header: Record<string, unknown>;
let planId: string;
const figures = { tamperedPlans: 0, writesOutsideDestination: 0, secretLeaks: 0 };

function writesSince(since: number): ProxiedRequest[] {
  return proxy.log.slice(since).filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
}

/** A write stays inside when its key does, and still does once a server resolves `.` and `..` in its path. */
function outsideResults(request: ProxiedRequest): boolean {
  const folder = `/${DST}/out/${planId}/`;
  const path = request.rawPath.split('?')[0];
  const inside = request.bucket === DST && request.key.startsWith(`out/${planId}/`) && path.startsWith(folder) && posix.normalize(path).startsWith(folder);
  return !inside;
}

async function putPlan(name: string, changed: Record<string, unknown>): Promise<string> {
  await s3.store.put({ bucket: DST, key: `plans/${name}.json` }, JSON.stringify({ ...header, ...changed }));
  return `s3://${DST}/plans/${name}.json`;
}

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST, 'sec-other']);
  proxy = await startFaultProxy(s3.server.endpoint);
  env = { ...s3.server.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
  await putObjects(s3.store, SRC, [
    ['a/b/c/x.txt', 'alpha beta'],
    ['a/b/c/y.txt', 'gamma delta'],
  ]);
  sourceBefore = await fingerprint(s3.store, SRC);
  const plan = await runStage('plan', ['--source', SOURCE, '--destination', DESTINATION, '--plan', PLAN, '--per-file'], env);
  expect(plan.code).toBe(0);
  header = JSON.parse(await s3.store.readText({ bucket: DST, key: 'plans/p.json' })) as Record<string, unknown>;
  planId = String(header['id']);
});

afterAll(async () => {
  writeFigures('security', { ...figures, echoedAnswers: proxy.log.filter((request) => request.outcome === 'answered').length });
  await proxy.close();
  await s3.stop();
});

describe('an untampered plan', () => {
  it('makes migrate and merge write only inside <destination>/<plan id>/', async () => {
    const since = proxy.log.length;
    expect((await runStage('migrate', ['--plan', PLAN], env)).code).toBe(0);
    expect((await runStage('merge', ['--destination', DESTINATION], env)).code).toBe(0);
    const writes = writesSince(since);
    expect(writes.map((request) => request.key).sort()).toEqual(
      [
        `out/${planId}/files/x.txt`,
        `out/${planId}/files/y.txt`,
        `out/${planId}/actuals.json`,
        `out/${planId}/result.json`,
        `out/${planId}/shards/shard-00000.tsv`,
        `out/${planId}/timings/shard-00000.json`,
      ].sort(),
    );
    expect(writes.filter(outsideResults)).toEqual([]);
  });
});

describe('a tampered plan', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['destination = the source folder', { destination: SOURCE }, /overlaps the source/],
    ['destination = the source bucket root', { destination: `s3://${SRC}/` }, /overlaps the source/],
    ['destination inside the source', { destination: `${SOURCE}out/` }, /overlaps the source/],
    ['a plan id with ../', { id: '../../sec-source/a' }, /field "id" must be lowercase letters, digits and hyphens/],
    ['a plan id with a slash', { id: 'p/../../x' }, /field "id" must be lowercase letters, digits and hyphens/],
    ['shard lists inside the source', { shardLists: SOURCE }, /its shard lists lie inside the source/],
    ['shard lists of another plan', { shardLists: `s3://${DST}/plans/other/` }, /belongs to plan other-1 shard 0, not plan/],
    ['an unknown setting', { settings: { tokenizer: 'unicode', perFile: true, include: [], exclude: [], shardBytes: null, out: '../' } }, /has unknown keys out/],
  ])('with %s: migrate refuses it (exit 2) and writes nothing', async (name, changed, message) => {
    await s3.store.put(
      { bucket: DST, key: 'plans/other/shard-00000.json' },
      JSON.stringify({ version: 1, kind: 'wordbatch-shard-list', planId: 'other-1', shardIndex: 0, bytes: 0, items: [] }),
    );
    const plan = await putPlan(`tampered-${name.replace(/\W+/g, '-')}`, changed);
    const since = proxy.log.length;
    const run = await runStage('migrate', ['--plan', plan], env);
    figures.tamperedPlans++;
    figures.writesOutsideDestination += writesSince(since).length;
    expect(run.code).toBe(2);
    expect(run.errorLine).toMatch(message);
    expect(writesSince(since)).toEqual([]);
  });

  it('with item names full of ../: migrate refuses the per-file write that would land in the source (s3rver resolves dot segments)', async () => {
    const list = JSON.parse(await s3.store.readText({ bucket: DST, key: 'plans/p/shard-00000.json' })) as { items: Array<{ name: string }> };
    // Read at a/b/c/../../../../sec-source/a/b/c/x.txt, which s3rver resolves to the real x.txt;
    // written at out/<id>/files/../../../../sec-source/a/b/c/x.txt, which it would resolve to x.txt too.
    list.items = list.items.map((item) => ({ ...item, name: `../../../../${SRC}/a/b/c/${item.name}` }));
    await s3.store.put({ bucket: DST, key: 'plans/dots/shard-00000.json' }, JSON.stringify(list));
    const plan = await putPlan('dots', { shardLists: `s3://${DST}/plans/dots/` });
    const since = proxy.log.length;
    const run = await runStage('migrate', ['--plan', plan], env);
    figures.tamperedPlans++;
    figures.writesOutsideDestination += writesSince(since).filter(outsideResults).length;
    expect(run.code).toBe(2);
    expect(run.errorLine).toMatch(/refusing to write s3:\/\/sec-results\/out\/.*\/files\/\.\.\/\.\.\/\.\.\/\.\.\/sec-source\/a\/b\/c\/[xy]\.txt: the key has a "\." or "\.\." segment/);
    expect(writesSince(since)).toEqual([]);
    expect(await fingerprint(s3.store, SRC)).toEqual(sourceBefore);
  });

  it('(control: on this server such a key really does escape, so the refusal above is what protects the source)', async () => {
    await s3.store.put({ bucket: 'sec-other', key: 'a/b/c/x.txt' }, 'original');
    const escaping = `out/${planId}/files/../../../../sec-other/a/b/c/x.txt`;
    await s3.store.client.send(new PutObjectCommand({ Bucket: DST, Key: escaping, Body: 'overwritten' }));
    expect(await s3.store.readText({ bucket: 'sec-other', key: 'a/b/c/x.txt' })).toBe('overwritten');
  });

  it('copied under the destination but claiming another destination: merge refuses it (exit 2) and writes nothing', async () => {
    await s3.store.put({ bucket: DST, key: `out/${planId}/plan.json` }, JSON.stringify({ ...header, destination: `s3://sec-other/` }));
    const since = proxy.log.length;
    const run = await runStage('merge', ['--destination', DESTINATION], env);
    figures.tamperedPlans++;
    figures.writesOutsideDestination += writesSince(since).length;
    expect(run.code).toBe(2);
    expect(run.errorLine).toMatch(/plan copy s3:\/\/sec-results\/out\/.*\/plan\.json names plan .* with results in s3:\/\/sec-other\/.*moved or tampered with/);
    expect(writesSince(since)).toEqual([]);
    await s3.store.put({ bucket: DST, key: `out/${planId}/plan.json` }, `${JSON.stringify(header, null, 2)}\n`);
  });
});

describe('credentials and signatures', () => {
  const secrets = [...Object.values(CREDENTIALS), 'EXAMPLEKEY', 'EXAMPLESESSIONTOKEN'];

  /** With LOG_LEVEL=debug the stack follows the error line. */
  function errorLineOf(run: StageRun): string | undefined {
    return run.stderr.split('\n').find((line) => line.startsWith('wordbatch '));
  }

  function expectNoSecrets(run: StageRun): void {
    const everything = run.stdout + run.stderr;
    const leaks = secrets.filter((secret) => everything.includes(secret));
    const signatures = everything.match(/(?:Signature|Credential|Security-Token)=(?!\[Redacted\])[^\s"&,;]+/gi) ?? [];
    figures.secretLeaks += leaks.length + signatures.length;
    expect(leaks).toEqual([]);
    expect(signatures).toEqual([]);
  }

  it.each([
    ['plan', ['--source', SOURCE, '--destination', `s3://${DST}/creds/`, '--plan', `s3://${DST}/plans/creds.json`]],
    ['migrate', ['--plan', PLAN]],
    ['merge', ['--destination', DESTINATION]],
  ])('%s, refused by the server for unknown keys (exit 4), never prints them, even at LOG_LEVEL=trace', async (program, args) => {
    const run = await runStage(program, args, { ...env, ...CREDENTIALS, LOG_LEVEL: 'trace' });
    expect(run.code).toBe(4);
    expect(errorLineOf(run)).toMatch(new RegExp(`^wordbatch ${program}: error: access denied to s3://`));
    expectNoSecrets(run);
  });

  it.each([
    ['access denied (exit 4)', 403, 'AccessDenied', 4],
    ['a server error (exit 75)', 500, 'InternalError', 75],
  ])('never prints what a server echoes back in %s: its signed URL and Authorization header', async (_case, status, code, exitCode) => {
    proxy.setRules({
      answerWith: (_request, headers) => ({
        status,
        code,
        message:
          `Request https://${SRC}.s3.amazonaws.com/a/b/c/x.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${CREDENTIALS.AWS_ACCESS_KEY_ID}%2F20260101&X-Amz-Signature=abcdef0123456789&X-Amz-Security-Token=${CREDENTIALS.AWS_SESSION_TOKEN} ` +
          `with Authorization: ${String(headers['authorization'])} and token ${String(headers['x-amz-security-token'])} refused`,
      }),
    });
    try {
      const run = await runStage('migrate', ['--plan', PLAN], { ...env, ...CREDENTIALS, AWS_MAX_ATTEMPTS: '2', LOG_LEVEL: 'debug' });
      expect(run.code).toBe(exitCode);
      expect(errorLineOf(run)).toContain('[Redacted]');
      expectNoSecrets(run);
    } finally {
      proxy.setRules({});
    }
  });
});

describe('the source prefix', () => {
  it('was never written to: no write request reached it and every ETag is unchanged', async () => {
    expect(proxy.log.filter((request) => request.bucket === SRC && request.method !== 'GET' && request.method !== 'HEAD')).toEqual([]);
    expect(await fingerprint(s3.store, SRC)).toEqual(sourceBefore);
  });
});
