import { forEachConcurrent } from './for-each-concurrent';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('forEachConcurrent', () => {
  it('never runs more than the limit at once and visits every item', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachConcurrent([...Array(50).keys()], 4, async (item) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      seen.push(item);
      running--;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });

  it('reads async iterables lazily', async () => {
    async function* produce() {
      for (let i = 0; i < 5; i++) yield i;
    }
    const seen: number[] = [];
    await forEachConcurrent(produce(), 2, async (item) => void seen.push(item));
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops starting work after a failure and rethrows it', async () => {
    const started: number[] = [];
    await expect(
      forEachConcurrent([...Array(100).keys()], 2, async (item) => {
        started.push(item);
        await tick();
        if (item === 3) throw new Error('item 3 failed');
      }),
    ).rejects.toThrow('item 3 failed');
    expect(started.length).toBeLessThan(10);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await expect(
      forEachConcurrent(
        [...Array(100).keys()],
        1,
        async (item) => {
          started.push(item);
          if (item === 2) controller.abort(new Error('stop'));
        },
        controller.signal,
      ),
    ).rejects.toThrow('stop');
    expect(started).toEqual([0, 1, 2]);
  });

  it('waits for the work in flight when reading the items fails, then rethrows that failure', async () => {
    let running = 0;
    let finished = 0;
    async function* produce() {
      yield 0;
      yield 1;
      throw new Error('the list is unreadable');
    }
    await expect(
      forEachConcurrent(produce(), 3, async () => {
        running++;
        await tick();
        await tick();
        running--;
        finished++;
      }),
    ).rejects.toThrow('the list is unreadable');
    expect({ running, finished }).toEqual({ running: 0, finished: 2 });
  });
});
