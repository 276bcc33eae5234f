import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExitCode, StageError } from '@wordbatch/errors';
import { createS3Client } from './client';
import { ObjectStore } from './object-store';

// Faults a real S3 server will not produce on demand (a body cut off mid-way, a 503), from
// a tiny HTTP server of this test's own: the requests are the store's real ones.

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let store: ObjectStore;
let answers: Answer[] = [];
let requests: IncomingMessage[] = [];
const plan = { bucket: 'dst', key: 'plans/p.json' };

/** Sends `firstPart` of a longer body, then resets the connection. */
const brokenBody =
  (firstPart: string): Answer =>
  (_request, response) => {
    response.writeHead(200, { 'content-length': String(Buffer.byteLength(firstPart) + 10), etag: '"e"' });
    response.write(firstPart, () => response.socket?.resetAndDestroy());
  };

const wholeBody =
  (body: string): Answer =>
  (_request, response) => {
    response.writeHead(200, { 'content-length': String(Buffer.byteLength(body)), etag: '"e"' });
    response.end(body);
  };

const serverError: Answer = (_request, response) => {
  response.writeHead(503, { 'content-type': 'application/xml' });
  response.end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
};

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    answer?.(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  store = new ObjectStore(
    createS3Client({ AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '3' }),
  );
});

afterAll(async () => {
  store.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [];
  requests = [];
});

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(StageError);
  return caught as StageError;
}

describe('ObjectStore.readText when a connection breaks mid-body', () => {
  it('reads the object again from the start and returns it whole, once', async () => {
    answers = [brokenBody('{"ver'), brokenBody('{"version"'), wholeBody('{"version":1}')];
    expect(await store.readText(plan)).toBe('{"version":1}');
    expect(requests).toHaveLength(3);
    expect(requests.every((request) => request.url === '/dst/plans/p.json' && request.headers.range === undefined)).toBe(true);
  });

  it('gives up after four reads with a transient error (exit 75) naming the object', async () => {
    answers = [brokenBody('{')];
    const error = await failure(store.readText(plan));
    expect(error.exitCode).toBe(ExitCode.Transient);
    expect(error.message).toBe('could not reach S3 for s3://dst/plans/p.json (ECONNRESET): aborted');
    expect(requests).toHaveLength(4);
  });

  it('does not read again after a SIGTERM', async () => {
    const controller = new AbortController();
    answers = [
      (request, response) => {
        controller.abort();
        brokenBody('{')(request, response);
      },
    ];
    const error = await failure(store.readText(plan, { signal: controller.signal }));
    expect(error.exitCode).toBe(ExitCode.Terminated);
    expect(requests).toHaveLength(1);
  });
});

describe('ObjectStore.open when S3 answers with an error', () => {
  it('retries throttling and returns the object once S3 recovers', async () => {
    answers = [serverError, serverError, wholeBody('hello')];
    expect(await store.readText(plan)).toBe('hello');
    expect(requests).toHaveLength(3);
  });

  it('stops after AWS_MAX_ATTEMPTS with a transient error carrying the S3 code and message', async () => {
    answers = [serverError];
    const error = await failure(store.open(plan));
    expect(error.exitCode).toBe(ExitCode.Transient);
    expect(error.message).toBe('S3 kept failing for s3://dst/plans/p.json (SlowDown): Please reduce your request rate.');
    expect(requests).toHaveLength(3);
  });

  it('does not retry what retrying cannot fix', async () => {
    answers = [
      (_request, response) => {
        response.writeHead(403, { 'content-type': 'application/xml' });
        response.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      },
    ];
    const error = await failure(store.open(plan));
    expect(error.exitCode).toBe(ExitCode.AccessDenied);
    expect(error.message).toBe('access denied to s3://dst/plans/p.json (AccessDenied): Access Denied');
    expect(requests).toHaveLength(1);
  });

  it('stops waiting to retry as soon as a SIGTERM comes', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    answers = [
      (request, response) => {
        serverError(request, response);
        // While the client waits to retry (at least 125 ms, retry.ts).
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort();
        }, 40);
      },
    ];
    const error = await failure(store.open(plan, { signal: controller.signal }));
    expect(error.exitCode).toBe(ExitCode.Terminated);
    expect(requests).toHaveLength(1);
    expect(Date.now() - abortedAt).toBeLessThan(60);
  });
});
