import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StageError, TransientError } from '@wordbatch/errors';
import type { PlanHeader } from '@wordbatch/plan-schema';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { openShardResult } from './open-shard-result';

// Bodies that break mid-way, from a tiny HTTP server of this test's own: a real S3 server
// will not cut a connection on demand. The requests are the store's real ones.

const header = { id: 'p1', destination: { bucket: 'dst', key: 'out/' }, settings: { tokenizer: 'unicode' } } as unknown as PlanHeader;
const resultHeader = { version: 1, kind: 'wordbatch-shard-result', planId: 'p1', shardIndex: 0, tokenizer: 'unicode', stats: { files: 1, bytes: 1, words: 3, distinctWords: 3, skipped: [] } };
const body = Buffer.from(`${JSON.stringify(resultHeader)}\n${Array.from({ length: 3_000 }, (_, index) => `w${String(index).padStart(5, '0')}\t${index + 1}\n`).join('')}`);
const ETAG = '"0123456789abcdef0123456789abcdef"';

/** Sends the object's bytes from the requested one, cut after `cutAfter` of them (then reset), or whole. */
type Plan = { cutAfter?: number; etag?: string };

let server: Server;
let store: ObjectStore;
let plans: Plan[];
let requests: { range?: string; ifMatch?: string }[];

function answer(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  const plan = plans.shift() ?? {};
  requests.push({ range: request.headers.range, ifMatch: request.headers['if-match'] });
  const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
  const rest = body.subarray(start);
  const headers = { 'content-length': String(rest.length), etag: plan.etag ?? ETAG };
  if (start > 0) response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
  else response.writeHead(200, headers);
  if (plan.cutAfter === undefined) response.end(rest);
  else response.write(rest.subarray(0, plan.cutAfter), () => response.socket?.resetAndDestroy());
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  store = new ObjectStore(createS3Client({ AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '3' }));
});

afterAll(async () => {
  store.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  plans = [];
  requests = [];
});

async function readAll(opened: Awaited<ReturnType<typeof openShardResult>>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of opened.lines.chunks) chunks.push(chunk);
  opened.close();
  return Buffer.concat(chunks);
}

const lines = body.subarray(body.indexOf(0x0a) + 1);

describe('openShardResult when the body breaks', () => {
  it('reads on from the byte it broke at, pinned to the same version, and gives every byte once', async () => {
    plans = [{ cutAfter: 20_000 }, { cutAfter: 7_000 }, {}];
    const opened = await openShardResult(store, header, 0, new AbortController().signal);
    expect(opened.header.planId).toBe('p1');
    expect((await readAll(opened)).equals(lines)).toBe(true);
    expect(requests).toEqual([{ range: undefined, ifMatch: undefined }, { range: 'bytes=20000-', ifMatch: ETAG }, { range: 'bytes=27000-', ifMatch: ETAG }]);
  });

  it('gives up as a transient failure after BODY_READ_ATTEMPTS broken reads', async () => {
    plans = [{ cutAfter: 20_000 }, { cutAfter: 100 }, { cutAfter: 100 }, { cutAfter: 100 }, {}];
    const opened = await openShardResult(store, header, 0, new AbortController().signal);
    const failure = await readAll(opened).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as StageError).message).toContain('s3://dst/out/p1/');
    expect(requests).toHaveLength(4);
  });

  it('fails as a changed input when the object was replaced between the reads', async () => {
    plans = [{ cutAfter: 20_000 }, { etag: '"ffffffffffffffffffffffffffffffff"' }];
    const opened = await openShardResult(store, header, 0, new AbortController().signal);
    const failure = await readAll(opened).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StageError);
    expect((failure as StageError).message).toMatch(/changed/);
  });
});
