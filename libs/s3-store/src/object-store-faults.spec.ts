import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { ExitCode, StageError } from '@wordbatch/cli';
import { ObjectStore } from './object-store';

const s3 = mockClient(S3Client);
const store = new ObjectStore(new S3Client({ region: 'us-east-1' }));
const plan = { bucket: 'dst', key: 'plans/p.json' };

/** A body that sends `firstPart` and then breaks the way a reset connection does. */
function brokenBody(firstPart: string): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) {
        this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        return;
      }
      sent = true;
      this.push(Buffer.from(firstPart));
    },
  });
}

function getResponse(body: Readable) {
  return { Body: body, ETag: '"e"', ContentLength: 10 } as never;
}

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(StageError);
  return caught as StageError;
}

beforeEach(() => s3.reset());

describe('ObjectStore.readText when a connection breaks mid-body', () => {
  it('reads the object again from the start and returns it whole, once', async () => {
    s3.on(GetObjectCommand)
      .resolvesOnce(getResponse(brokenBody('{"ver')))
      .resolvesOnce(getResponse(brokenBody('{"version"')))
      .resolves(getResponse(Readable.from([Buffer.from('{"version":1}')])));
    expect(await store.readText(plan)).toBe('{"version":1}');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(3);
    expect(s3.commandCalls(GetObjectCommand).every((call) => call.args[0].input.Range === undefined)).toBe(true);
  });

  it('gives up after four reads with a transient error (exit 75) naming the object', async () => {
    s3.on(GetObjectCommand).callsFake(() => getResponse(brokenBody('{')));
    const error = await failure(store.readText(plan));
    expect(error.exitCode).toBe(ExitCode.Transient);
    expect(error.message).toBe('could not reach S3 for s3://dst/plans/p.json (ECONNRESET): aborted');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(4);
  });

  it('does not read again after a SIGTERM', async () => {
    const controller = new AbortController();
    s3.on(GetObjectCommand).callsFake(() => {
      controller.abort();
      return getResponse(brokenBody('{'));
    });
    const error = await failure(store.readText(plan, { signal: controller.signal }));
    expect(error.exitCode).toBe(ExitCode.Terminated);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });
});

describe('ObjectStore.list with url-encoded keys', () => {
  it('asks S3 to url-encode keys and decodes them, so keys XML cannot carry survive', async () => {
    s3.on(ListObjectsV2Command).resolves({ EncodingType: 'url', Contents: [{ Key: 'src/cr%0Dx+y.txt', Size: 1, ETag: '"e"' }] });
    const keys = [];
    for await (const object of store.list({ bucket: 'src', key: 'src/' })) keys.push(object.key);
    expect(keys).toEqual(['src/cr\rx y.txt']);
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input.EncodingType).toBe('url');
  });
});

describe('ObjectStore writes', () => {
  it.each(['out/p-1/files/../../../src/a.txt', `out/${'k'.repeat(1021)}`])('refuses to write at %s (exit 2), sending nothing', async (key) => {
    const error = await failure(store.put({ bucket: 'dst', key }, 'x'));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect((await failure(store.putChunks({ bucket: 'dst', key }, ['x']))).exitCode).toBe(ExitCode.Usage);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
