import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DefaultRateLimiter } from '@smithy/util-retry';
import { createS3Client } from './client';
import { DirectGet } from './direct-get';
import { BoundedRetryStrategy } from './retry';

// One send rate per process (retry.ts): a SlowDown answered to a direct GET must slow the SDK's
// requests too, and the other way round. A local HTTP server answers every other request
// `503 SlowDown` as S3 does past a prefix's request rate (AWS: "Error responses", SlowDown).

const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

describe('the send rate shared by the S3 client and the direct GETs', () => {
  let server: Server;
  let endpoint: string;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      if (requests++ % 2 === 0) {
        response.writeHead(503, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(SLOW_DOWN) });
        response.end(SLOW_DOWN);
        return;
      }
      response.writeHead(200, { 'content-length': '2', etag: '"abc"' });
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is told of every answer, SDK and direct GET alike, and each try waits for a send token', async () => {
    const client = createS3Client({ AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    const strategy = await client.config.retryStrategy();
    expect(strategy).toBeInstanceOf(BoundedRetryStrategy);
    const sendRate = (strategy as BoundedRetryStrategy).sendRate;
    expect(sendRate).toBeInstanceOf(DefaultRateLimiter);
    const answers: unknown[] = [];
    const tokens = jest.spyOn(sendRate, 'getSendToken');
    jest.spyOn(sendRate, 'updateClientSendingRate').mockImplementation((answer) => void answers.push(answer));
    const direct = new DirectGet(client);
    requests = 0;

    const response = await direct.get({ bucket: 'books', key: 'a.txt' });
    response?.resume();
    expect(response?.statusCode).toBe(200);
    const sdkAnswer = await client.send(new GetObjectCommand({ Bucket: 'books', Key: 'b.txt' }));
    expect(await sdkAnswer.Body?.transformToString()).toBe('ok');

    // Two requests, each refused once and then answered: four tries, four tokens, four answers.
    expect(requests).toBe(4);
    expect(tokens).toHaveBeenCalledTimes(4);
    expect(answers).toHaveLength(4);
    const throttled = answers.map((answer) => {
      const info = answer as { errorType?: string; name?: string; error?: { name?: string } };
      return info.errorType === 'THROTTLING' || info.name === 'SlowDown' || info.error?.name === 'SlowDown';
    });
    expect(throttled).toEqual([true, false, true, false]);
    direct.destroy();
    client.destroy();
  });

  it('stops waiting for the send rate at once when the stage is told to stop (SIGTERM)', async () => {
    const client = createS3Client({ AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    const { sendRate } = (await client.config.retryStrategy()) as BoundedRetryStrategy;
    // A send rate that never grants a token: only the abort can end the wait.
    jest.spyOn(sendRate, 'getSendToken').mockImplementation(() => new Promise(() => undefined));
    const direct = new DirectGet(client);
    requests = 0;
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('stopped by SIGTERM')), 50);
    await expect(direct.get({ bucket: 'books', key: 'a.txt' }, { signal: controller.signal })).rejects.toThrow('stopped by SIGTERM');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(requests).toBe(0);
    direct.destroy();
    client.destroy();
  });

  it('slows a client down after SlowDown answers: later tries wait for the rate, not only the backoff', async () => {
    const sendRate = new DefaultRateLimiter();
    const strategy = new BoundedRetryStrategy(8, () => 0, sendRate);
    // Before any throttling the bucket is off: tokens come at once.
    const started = performance.now();
    for (let request = 0; request < 20; request++) await strategy.acquireInitialRetryToken();
    expect(performance.now() - started).toBeLessThan(200);
    sendRate.updateClientSendingRate({ errorType: 'THROTTLING' });
    // Throttled with no measured rate: the floor, 0.5 tokens a second (the bucket's timers may
    // round a little down), where 20 tokens came at once before.
    const throttledAt = performance.now();
    await strategy.acquireInitialRetryToken();
    await strategy.acquireInitialRetryToken();
    expect(performance.now() - throttledAt).toBeGreaterThanOrEqual(1_500);
  });
});
