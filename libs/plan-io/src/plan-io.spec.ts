import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, StageError } from '@wordbatch/errors';
import { startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { planHeaderSchema } from '@wordbatch/plan-schema';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { readPlanCopy, readPlanHeader, readShardList } from './plan-io';

const DST = 'plan-io-dst';
let server: LocalS3;
let store: ObjectStore;
let directory: string;

const header = {
  version: 1,
  kind: 'wordbatch-plan',
  id: 'p1-abc',
  createdAt: '2026-01-01T00:00:00.000Z',
  source: 's3://plan-io-src/docs/',
  destination: `s3://${DST}/out/`,
  shardLists: `s3://${DST}/plans/p1/`,
  settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
  shardCount: 2,
  totals: { files: 1, bytes: 5 },
};

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'wordbatch-plan-io-'));
  server = await startLocalS3({ directory, buckets: [DST] });
  store = new ObjectStore(createS3Client(server.env));
});

afterAll(async () => {
  store.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

async function exitCodeOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  return error instanceof StageError ? error.exitCode : undefined;
}

describe('readPlanHeader', () => {
  it('reads a valid plan', async () => {
    await store.put({ bucket: DST, key: 'plans/p1.json' }, JSON.stringify(header));
    const read = await readPlanHeader(store, { bucket: DST, key: 'plans/p1.json' });
    expect(read).toEqual(planHeaderSchema.parse(header));
    expect(read.destination).toEqual({ bucket: DST, key: 'out/' });
  });

  it('reports a missing plan as missing input and a bad one as a usage error', async () => {
    expect(await exitCodeOf(readPlanHeader(store, { bucket: DST, key: 'plans/none.json' }))).toBe(ExitCode.InputChanged);
    await store.put({ bucket: DST, key: 'plans/bad.json' }, JSON.stringify({ ...header, shardCount: 'two' }));
    const bad = readPlanHeader(store, { bucket: DST, key: 'plans/bad.json' });
    await expect(bad).rejects.toThrow(/plan s3:\/\/plan-io-dst\/plans\/bad\.json: field "shardCount"/);
    expect(await exitCodeOf(readPlanHeader(store, { bucket: DST, key: 'plans/bad.json' }))).toBe(ExitCode.Usage);
  });

  it('refuses a plan whose results would land in its source', async () => {
    await store.put({ bucket: DST, key: 'plans/tampered.json' }, JSON.stringify({ ...header, destination: 's3://plan-io-src/docs/out/' }));
    const tampered = readPlanHeader(store, { bucket: DST, key: 'plans/tampered.json' });
    await expect(tampered).rejects.toThrow(/overlaps the source/);
  });
});

describe('readShardList', () => {
  const list = { version: 1, kind: 'wordbatch-shard-list', planId: 'p1-abc', shardIndex: 1, bytes: 5, items: [{ name: 'a.txt', size: 5, etag: 'e' }] };

  it('reads the list of its shard', async () => {
    await store.put({ bucket: DST, key: 'plans/p1/shard-00001.json' }, JSON.stringify(list));
    const parsedHeader = await readPlanHeader(store, { bucket: DST, key: 'plans/p1.json' });
    expect([...(await readShardList(store, parsedHeader, 1)).items]).toEqual(list.items);
  });

  it('refuses a list that belongs to another plan or shard', async () => {
    await store.put({ bucket: DST, key: 'plans/p1/shard-00000.json' }, JSON.stringify(list));
    const parsedHeader = await readPlanHeader(store, { bucket: DST, key: 'plans/p1.json' });
    await expect(readShardList(store, parsedHeader, 0)).rejects.toThrow(/belongs to plan p1-abc shard 1, not plan p1-abc shard 0/);
  });
});

describe('readPlanCopy', () => {
  it('reads the copy in its own results folder', async () => {
    const copy = { bucket: DST, key: 'out/p1-abc/plan.json' };
    await store.put(copy, JSON.stringify(header));
    expect(await readPlanCopy(store, copy)).toEqual(planHeaderSchema.parse(header));
  });

  it.each([
    ['another destination', { ...header, destination: `s3://${DST}/elsewhere/` }],
    ['another id', { ...header, id: 'p2-def' }],
  ])('refuses a copy that claims %s (exit 2)', async (_case, claimed) => {
    const copy = { bucket: DST, key: 'out/p1-abc/plan.json' };
    await store.put(copy, JSON.stringify(claimed));
    const refused = readPlanCopy(store, copy);
    await expect(refused).rejects.toThrow(/^plan copy s3:\/\/plan-io-dst\/out\/p1-abc\/plan\.json names plan .* so it belongs at .*: moved or tampered with$/);
    expect(await exitCodeOf(readPlanCopy(store, copy))).toBe(ExitCode.Usage);
  });
});
