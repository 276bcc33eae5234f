import { maxRetryWindowMs, retryDelayMs, retrying, sleep } from './backoff';

describe('retryDelayMs', () => {
  it('doubles from 250 ms, jittered between half and all of the step, up to 20 s', () => {
    expect([1, 2, 3, 8, 9, 20].map((retry) => retryDelayMs(retry, () => 0))).toEqual([125, 250, 500, 10_000, 10_000, 10_000]);
    expect([1, 2, 3, 8, 9].map((retry) => retryDelayMs(retry, () => 0.999_999))).toEqual([249, 499, 999, 19_999, 19_999]);
  });

  it('gives a request with the default 8 attempts 16 to 32 s of retrying, whatever the dice', () => {
    expect(maxRetryWindowMs(8)).toBe(31_750);
    expect(maxRetryWindowMs(1)).toBe(0);
  });
});

describe('sleep', () => {
  it('waits the given time', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the reason as soon as the signal aborts, or at once if it already has', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(waiting).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('stop');
  });
});

describe('retrying', () => {
  const failing = (failures: number, error: Error = new Error('blip')) => {
    const attempts: number[] = [];
    const operation = async (attempt: number) => {
      attempts.push(attempt);
      if (attempts.length <= failures) throw error;
      return 'done';
    };
    return { attempts, operation };
  };

  it('tries at most `attempts` times in all, then throws the last failure', async () => {
    const { attempts, operation } = failing(10);
    await expect(retrying(4, operation, () => 0)).rejects.toThrow('blip');
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('succeeds on a later attempt, waiting what it is told before each retry', async () => {
    const { attempts, operation } = failing(2);
    const waits: number[] = [];
    const started = Date.now();
    await expect(retrying(8, operation, (_error, retry) => (waits.push(retry), 20))).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(waits).toEqual([1, 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('spends each wait through the wait it is given, with the signal', async () => {
    const { attempts, operation } = failing(3);
    const controller = new AbortController();
    const spent: Array<[number, AbortSignal | undefined]> = [];
    const started = Date.now();
    const wait = async (ms: number, signal?: AbortSignal) => void spent.push([ms, signal]);
    await expect(retrying(8, operation, (_error, retry) => 10_000 * retry, controller.signal, wait)).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(spent).toEqual([
      [10_000, controller.signal],
      [20_000, controller.signal],
      [30_000, controller.signal],
    ]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stops at the first failure it is given no wait for', async () => {
    const { attempts, operation } = failing(10, new Error('final'));
    await expect(retrying(8, operation, () => undefined)).rejects.toThrow('final');
    expect(attempts).toEqual([1]);
  });

  it('neither waits nor retries once the signal aborts', async () => {
    const controller = new AbortController();
    const { attempts, operation } = failing(10);
    const started = Date.now();
    const run = retrying(8, operation, () => 10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(run).rejects.toThrow('stop');
    expect(attempts).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
