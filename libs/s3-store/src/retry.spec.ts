import { BoundedRetryStrategy } from './retry';

const transient = { errorType: 'TRANSIENT' } as const;

async function retryCounts(strategy: BoundedRetryStrategy, errorInfo: { errorType: string }): Promise<number[]> {
  const delays: number[] = [];
  let token = await strategy.acquireInitialRetryToken();
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, errorInfo as never);
    } catch {
      return delays;
    }
    delays.push(token.getRetryDelay());
  }
}

describe('BoundedRetryStrategy', () => {
  it('retries throttling and transient errors until the attempts are used up', async () => {
    expect(await retryCounts(new BoundedRetryStrategy(8, () => 0), transient)).toEqual([125, 250, 500, 1_000, 2_000, 4_000, 8_000]);
    expect(await retryCounts(new BoundedRetryStrategy(3, () => 0), { errorType: 'THROTTLING' })).toHaveLength(2);
    expect(await retryCounts(new BoundedRetryStrategy(1), transient)).toEqual([]);
  });

  it('never retries a client error or a server error the SDK deems final', async () => {
    expect(await retryCounts(new BoundedRetryStrategy(8), { errorType: 'CLIENT_ERROR' })).toEqual([]);
    expect(await retryCounts(new BoundedRetryStrategy(8), { errorType: 'SERVER_ERROR' })).toEqual([]);
  });

  it('keeps no budget across requests: the hundredth failing request retries as long as the first', async () => {
    const strategy = new BoundedRetryStrategy(4, () => 0);
    for (let request = 0; request < 100; request++) expect(await retryCounts(strategy, transient)).toHaveLength(3);
  });
});
