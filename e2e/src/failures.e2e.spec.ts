import { putObjects, startTestS3, type TestS3 } from './harness';

const SRC = 'fail-source';
const DST = 'fail-results';
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
});

afterAll(() => s3.stop());

/** Plans `prefix` into its own destination and returns the locations. */
async function plan(prefix: string, shards = 1, extra: string[] = []) {
  const planUri = `s3://${DST}/plans/${prefix}.json`;
  const destination = `s3://${DST}/out-${prefix}/`;
  const run = await s3.run('plan', ['--source', `s3://${SRC}/${prefix}/`, '--destination', destination, '--plan', planUri, '--shards', String(shards), ...extra]);
  expect(run.code).toBe(0);
  const planId = run.stdout.split('\n')[0].slice('Plan '.length);
  return { planUri, destination, planId, run };
}

describe('odd objects', () => {
  it('skips a binary object and lists it, counting the rest', async () => {
    await putObjects(s3.store, SRC, [
      ['binary/words.txt', 'alpha alpha alpha beta'],
      ['binary/image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x61, 0x6c, 0x70, 0x68, 0x61])],
    ]);
    const { planUri, destination } = await plan('binary');
    expect((await s3.run('migrate', ['--plan', planUri])).code).toBe(0);
    const merge = await s3.run('merge', ['--destination', destination, '--format', 'json', '--min-count', '1']);
    const result = JSON.parse(merge.stdout);
    expect(result.words).toEqual([{ word: 'alpha', count: 3 }, { word: 'beta', count: 1 }]);
    expect(result.skipped).toEqual([{ name: 'image.png', reason: 'binary', detail: 'contains a NUL byte' }]);
    expect(result.totals).toMatchObject({ files: 1, skippedFiles: 1 });
  });

  it('handles keys with spaces, +, % and unicode', async () => {
    const names = ['with space.txt', 'plus+sign.txt', '100%.txt', 'ünï/日本語.txt', 'a/b/a/b.txt'];
    await putObjects(s3.store, SRC, names.map((name, index) => [`keys/${name}`, `zebra ${'yak '.repeat(index + 1)}`]));
    const { planUri, destination } = await plan('keys', 2, ['--per-file']);
    for (const index of [0, 1]) expect((await s3.run('migrate', ['--plan', planUri, '--index', String(index)])).code).toBe(0);
    const result = JSON.parse((await s3.run('merge', ['--destination', destination, '--format', 'json', '--min-count', '1'])).stdout);
    expect(result.words).toEqual([{ word: 'yak', count: 15 }, { word: 'zebra', count: 5 }]);
    const perFile = [];
    for await (const object of s3.store.list({ bucket: DST, key: `out-keys/` })) {
      if (object.key.includes('/files/')) perFile.push(object.key.slice(object.key.indexOf('/files/') + '/files/'.length));
    }
    expect(perFile.sort()).toEqual([...names].sort());
  });

  it('counts nothing, cleanly, for an empty prefix', async () => {
    const { planUri, destination, run } = await plan('nothing-here');
    expect(run.stdout).toContain('files        0');
    expect((await s3.run('migrate', ['--plan', planUri])).code).toBe(0);
    const merge = await s3.run('merge', ['--destination', destination]);
    expect(merge.code).toBe(0);
    expect(merge.stdout).toContain('0 words (0 distinct) in 0 files');
  });
});

describe('input that changed after planning', () => {
  it('refuses an object changed since the plan (exit 3) and one deleted (exit 3)', async () => {
    await putObjects(s3.store, SRC, [['changing/a.txt', 'one two three']]);
    const { planUri } = await plan('changing');
    await s3.store.put({ bucket: SRC, key: 'changing/a.txt' }, 'one two three four');
    const changed = await s3.run('migrate', ['--plan', planUri]);
    expect(changed.code).toBe(3);
    expect(changed.errorLine).toBe(
      'wordbatch migrate: error: s3://fail-source/changing/a.txt changed since it was planned (ETag differs); re-run plan',
    );
    await s3.store.client.send(
      new (await import('@aws-sdk/client-s3')).DeleteObjectCommand({ Bucket: SRC, Key: 'changing/a.txt' }),
    );
    const deleted = await s3.run('migrate', ['--plan', planUri]);
    expect(deleted.code).toBe(3);
    expect(deleted.errorLine).toContain('s3://fail-source/changing/a.txt does not exist');
  });
});

describe('shards and plans', () => {
  let planUri: string;
  let destination: string;

  beforeAll(async () => {
    await putObjects(s3.store, SRC, [
      ['three/a.txt', 'red red red'],
      ['three/b.txt', 'green green green'],
      ['three/c.txt', 'blue blue blue'],
    ]);
    ({ planUri, destination } = await plan('three', 3));
  });

  it('rejects an index outside the plan and a missing index', async () => {
    const outside = await s3.run('migrate', ['--plan', planUri, '--index', '3']);
    expect(outside.code).toBe(2);
    expect(outside.errorLine).toMatch(/--index is 3 but plan three-[0-9a-f]+ has 3 shards \(0-2\)$/);
    const fromEnv = await s3.run('migrate', ['--plan', planUri], { AWS_BATCH_JOB_ARRAY_INDEX: '7' });
    expect(fromEnv.errorLine).toMatch(/AWS_BATCH_JOB_ARRAY_INDEX is 7 but plan/);
    const none = await s3.run('migrate', ['--plan', planUri]);
    expect(none.code).toBe(2);
    expect(none.errorLine).toContain('no shard index: pass --index or set AWS_BATCH_JOB_ARRAY_INDEX');
    const k8s = await s3.run('migrate', ['--plan', planUri], { JOB_COMPLETION_INDEX: 'x' });
    expect(k8s.errorLine).toContain('JOB_COMPLETION_INDEX must be a shard index');
  });

  it('names missing shard results (exit 5) unless --allow-partial', async () => {
    expect((await s3.run('migrate', ['--plan', planUri, '--index', '1'])).code).toBe(0);
    const incomplete = await s3.run('merge', ['--destination', destination]);
    expect(incomplete.code).toBe(5);
    expect(incomplete.errorLine).toMatch(/2 of 3 shard results missing \(shards 0, 2\)/);
    expect(incomplete.stdout).toBe('');
    const partial = await s3.run('merge', ['--destination', destination, '--allow-partial', '--format', 'json', '--min-count', '1']);
    expect(partial.code).toBe(0);
    const result = JSON.parse(partial.stdout);
    expect(result).toMatchObject({ partial: true, missingShards: [0, 2] });
    expect(result.words).toHaveLength(1);
  });

  it('asks for --plan when several plans share a destination', async () => {
    const other = await s3.run('plan', ['--source', `s3://${SRC}/binary/`, '--destination', destination, '--plan', `s3://${DST}/plans/other.json`]);
    expect(other.code).toBe(0);
    const merge = await s3.run('merge', ['--destination', destination]);
    expect(merge.code).toBe(2);
    expect(merge.errorLine).toMatch(/several plans under s3:\/\/fail-results\/out-three\/ \(other-[0-9a-f]+, three-[0-9a-f]+\): pass --plan/);
  });
});

describe('bad plans', () => {
  it.each([
    ['not JSON', '{ nope', /plan s3:\/\/fail-results\/plans\/bad\.json is not valid JSON/],
    ['a newer format', JSON.stringify({ version: 3 }), /has format version 3; this build reads versions 1 and 2/],
    ['a wrong shape', JSON.stringify({ version: 1, kind: 'wordbatch-plan' }), /field "id" is missing/],
  ])('rejects %s (exit 2)', async (_case, body, message) => {
    await s3.store.put({ bucket: DST, key: 'plans/bad.json' }, body);
    const run = await s3.run('migrate', ['--plan', `s3://${DST}/plans/bad.json`, '--index', '0']);
    expect(run.code).toBe(2);
    expect(run.errorLine).toMatch(message);
  });

  it('reports a missing plan as missing input (exit 3)', async () => {
    const run = await s3.run('migrate', ['--plan', `s3://${DST}/plans/none.json`]);
    expect(run.code).toBe(3);
    expect(run.errorLine).toBe('wordbatch migrate: error: s3://fail-results/plans/none.json does not exist');
  });

  it('refuses a tampered plan that points results into the source', async () => {
    await putObjects(s3.store, SRC, [['tamper/a.txt', 'x y z']]);
    const { planUri } = await plan('tamper');
    const header = JSON.parse(await s3.store.readText({ bucket: DST, key: 'plans/tamper.json' }));
    await s3.store.put({ bucket: DST, key: 'plans/tamper.json' }, JSON.stringify({ ...header, destination: `s3://${SRC}/tamper/out/` }));
    const before = await listKeys(SRC);
    const run = await s3.run('migrate', ['--plan', planUri]);
    expect(run.code).toBe(2);
    expect(run.errorLine).toMatch(/overlaps the source/);
    expect(await listKeys(SRC)).toEqual(before);
  });
});

describe('bad flags', () => {
  it.each<[string, string[], number, RegExp]>([
    ['plan', [], 2, /--destination and --plan are required/],
    ['plan', ['--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json'], 2, /--source is required \(or --manifest, or --keys\)/],
    ['plan', ['--sorce', 's3://s-b/'], 2, /unknown flag --sorce \(did you mean --source\?\); see `wordbatch plan --help`/],
    ['plan', ['--source', 's3://s-b/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json', '--shards', '-1'], 2, /--shards must be between 1 and 10000, got -1/],
    ['plan', ['--source', 'bucket/x', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json'], 2, /--source: "bucket\/x" is not an S3 URI/],
    ['plan', ['--source', 's3://Bad_Bucket/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json'], 2, /--source: .* invalid bucket name/],
    ['plan', ['--source', 's3://s-b/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.txt'], 2, /--plan must name a \.json object/],
    ['plan', ['--source', 's3://s-b/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json', '--shards', '10001'], 2, /--shards must be between 1 and 10000/],
    ['plan', ['--source', 's3://s-b/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json', '--shards', '2', '--shard-bytes', '1G'], 2, /cannot be used together/],
    ['plan', ['--source', 's3://s-b/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json', '--shard-bytes', 'big'], 2, /--shard-bytes must be a size/],
    ['plan', ['--source', 's3://s-b/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json', '--tokenizer', 'regex'], 2, /--tokenizer must be one of unicode, whitespace/],
    ['plan', ['--source', 's3://s-b/a/', '--destination', 's3://s-b/a/out/', '--plan', 's3://d-b/p.json'], 2, /overlaps the source/],
    ['plan', ['--source', 's3://no-such-bucket/', '--destination', 's3://d-b/o/', '--plan', 's3://d-b/p.json'], 3, /bucket of s3:\/\/no-such-bucket\/ does not exist/],
    ['plan', ['--frobnicate'], 2, /unknown flag --frobnicate/],
    ['migrate', ['--plan'], 2, /--plan needs a value/],
    ['migrate', ['--plan', 's3://d-b/p.json', '--index', '-1'], 2, /--index must be between 0 and 9999, got -1/],
    ['migrate', ['--plan', 's3://d-b/p.json', '--index=-1'], 2, /--index must be between 0 and 9999, got -1/],
    ['migrate', ['--plan', 's3://d-b/p.json', '--concurrency', '0'], 2, /--concurrency must be between 1 and 256/],
    ['migrate', ['--plan', 's3://d-b/p.json', 'extra'], 2, /unexpected argument "extra"/],
    ['merge', [], 2, /--destination is required/],
    ['merge', ['--destination', 's3://d-b/o/', '--top', '0'], 2, /--top must be between 1 and 1000000000, got 0/],
    ['merge', ['--destination', 's3://d-b/o/', '--format', 'xml'], 2, /--format must be one of table, json, csv/],
    ['merge', ['--destination', 's3://d-b/o/', '--top', 'ten'], 2, /--top must be a whole number/],
    ['merge', ['--destination', `s3://${DST}/empty/`], 3, /no wordbatch plan under s3:\/\/fail-results\/empty\//],
  ])('%s %j exits %i with one clear line', async (program, args, code, message) => {
    const run = await s3.run(program, args);
    expect(run.code).toBe(code);
    expect(run.errorLine).toMatch(new RegExp(`^wordbatch ${program}: error: `));
    expect(run.errorLine).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('answers --help with examples and exit 0', async () => {
    for (const program of ['plan', 'migrate', 'merge']) {
      const run = await s3.run(program, ['--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
    }
  });
});

async function listKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of s3.store.list({ bucket, key: '' })) keys.push(`${object.key} ${object.etag}`);
  return keys;
}
