import { MessageChannel } from 'node:worker_threads';
import { countWords, formatFileCounts, WordCounts } from '@wordbatch/word-count';
import { channelThreads } from './channel-threads.spec-helper';
import { startShardCounter } from './count-pool';
import type { FileCounter, ShardCounter } from './counter';
import { SMALL_OBJECT_BYTES } from './in-thread-counter';
import { startCountWorker } from './count-worker';

const WORDS = ['alpha', 'Beta', 'gamma', 'delta', 'école', 'naïve', 'it’s', 'high-speed', 'x', 'U.S.', 'Ωmega', '42'];

/** Deterministic text of about `bytes` bytes from a small vocabulary, with varied separators. */
function textOf(bytes: number, seed: number): Buffer {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  let text = '';
  while (text.length < bytes) text += WORDS[next() % WORDS.length] + [' ', '\n', ', ', '\t', '. '][next() % 5];
  return Buffer.from(text, 'utf8');
}

/** Writes `bytes` in chunks of `chunkBytes`, waiting whenever the counter asks to. */
async function writeAll(file: FileCounter, bytes: Buffer, chunkBytes: number): Promise<void> {
  for (let start = 0; start < bytes.length; start += chunkBytes) await file.write(bytes.subarray(start, start + chunkBytes));
}

function sorted(counts: WordCounts): Array<[string, number]> {
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function expectedCounts(texts: readonly Buffer[]): WordCounts {
  const expected = new WordCounts();
  for (const text of texts) expected.mergeFrom(countWords(text, 'unicode'));
  return expected;
}

describe('startShardCounter', () => {
  let counter: ShardCounter | undefined;
  afterEach(async () => {
    await counter?.close();
    counter = undefined;
  });

  it('counts the calling thread when there is one core', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 1, spawn: threads.spawn });
    const text = textOf(SMALL_OBJECT_BYTES * 2, 1);
    const file = counter.openFile(text.length);
    await writeAll(file, text, 1000);
    expect((await file.end()).words).toBe(countWords(text).total);
    expect(sorted(await counter.finish())).toEqual(sorted(countWords(text)));
    expect(counter.threads).toBe(0);
    expect(threads.started).toHaveLength(0);
  });

  it('gives the same counts across threads as in one, whatever the chunking', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 3, spawn: threads.spawn });
    // Large objects go to threads, small ones stay in this thread; all are open at once.
    const texts = [600_000, 5_000, 300_000, 70_000, 100, 1_200_000, 0].map((size, index) => textOf(size, index + 7));
    const outcomes = await Promise.all(
      texts.map(async (text, index) => {
        const file = (counter as ShardCounter).openFile(text.length);
        await writeAll(file, text, [997, 65_536, 16_384][index % 3]);
        return file.end();
      }),
    );
    expect(outcomes.map((outcome) => outcome.words)).toEqual(texts.map((text) => countWords(text).total));
    expect(sorted(await counter.finish())).toEqual(sorted(expectedCounts(texts)));
    expect(counter.threads).toBe(3);
  });

  it('starts threads only as large objects need them', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'whitespace', perFile: false, threads: 4, spawn: threads.spawn });
    for (let index = 0; index < 20; index++) {
      const file = counter.openFile(1000);
      await file.write(textOf(1000, index));
      await file.end();
    }
    expect(counter.threads).toBe(0);
    const big = textOf(SMALL_OBJECT_BYTES * 3, 99);
    const file = counter.openFile(big.length);
    await writeAll(file, big, 65_536);
    await file.end();
    expect(counter.threads).toBe(1);
    expect(threads.started[0].data).toMatchObject({ role: 'count-worker', tokenizer: 'whitespace', perFile: false });
  });

  it('drops a discarded object, even one partly sent', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 2, spawn: threads.spawn });
    const kept = textOf(400_000, 3);
    const dropped = Buffer.from('binary '.repeat(100_000));
    const droppedFile = counter.openFile(dropped.length * 2);
    await writeAll(droppedFile, dropped, 65_536);
    const keptFile = counter.openFile(kept.length);
    await writeAll(keptFile, kept, 65_536);
    droppedFile.discard();
    droppedFile.discard();
    await keptFile.end();
    keptFile.discard();
    const counts = await counter.finish();
    expect(counts.get('binary')).toBe(0);
    expect(sorted(counts)).toEqual(sorted(countWords(kept)));
  });

  it('answers each ended object with its own counts when the plan asks for them', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: true, threads: 2, spawn: threads.spawn });
    for (const size of [200, SMALL_OBJECT_BYTES + 1]) {
      const text = textOf(size, size);
      const file = counter.openFile(size);
      await writeAll(file, text, 4096);
      expect((await file.end()).fileCounts).toBe(formatFileCounts(countWords(text)));
    }
  });

  it.each([1, 2])('counts the pieces of one object in one counter per thread, each piece ending its words (%i threads)', async (threadCount) => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: true, threads: threadCount, spawn: threads.spawn });
    const group = counter.openGroup();
    const words: number[] = [];
    // Pieces end at newlines in migrate; these do not, so only the piece's end keeps "high-" and "speed" apart.
    for (const text of ['high-', 'speed it’', 's']) {
      const piece = group.openPiece(text.length);
      await piece.write(Buffer.from(text));
      words.push((await piece.end()).words);
    }
    expect(words).toEqual([1, 2, 1]);
    const fileCounts = await group.settle(true);
    const expected = countWords('high-\nspeed it’\ns');
    expect(fileCounts.length).toBeGreaterThan(0);
    const perFile = new WordCounts();
    for (const text of fileCounts) for (const line of text.split('\n').filter(Boolean)) perFile.add(line.split('\t')[0], Number(line.split('\t')[1]));
    expect(sorted(perFile)).toEqual(sorted(expected));
    expect(sorted(await counter.finish())).toEqual(sorted(expected));
  });

  it('makes a writer wait while its thread is far behind, and lets it go once the thread caught up', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'whitespace', perFile: false, threads: 2, spawn: threads.spawn });
    const text = textOf(6.5 * 1024 * 1024, 5);
    const file = counter.openFile(text.length);
    let waits = 0;
    for (let start = 0; start < text.length; start += 65_536) {
      const wait = file.write(text.subarray(start, start + 65_536));
      if (wait) {
        waits++;
        await wait;
      }
    }
    expect(waits).toBeGreaterThan(0);
    expect((await file.end()).words).toBe(countWords(text, 'whitespace').total);
  });

  it('fails everything waiting when a thread fails, and says why', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 2, spawn: threads.spawn });
    const file = counter.openFile(SMALL_OBJECT_BYTES);
    await file.write(textOf(1000, 1));
    threads.started[0].events.emit('error', new Error('out of memory'));
    expect(counter.failed.aborted).toBe(true);
    expect(counter.failure?.message).toBe('out of memory');
    await expect(file.end()).rejects.toThrow('out of memory');
    expect(() => counter?.openFile(SMALL_OBJECT_BYTES)).toThrow('out of memory');
    await expect(counter.finish()).rejects.toThrow('out of memory');
  });

  it('treats a thread that exits on its own as a failure, and one it closed as none', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 2, spawn: threads.spawn });
    const file = counter.openFile(SMALL_OBJECT_BYTES);
    const ended = file.end();
    threads.started[0].events.emit('exit', 1);
    await expect(ended).rejects.toThrow('a counting thread exited (code 1)');
    const other = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 2, spawn: threads.spawn });
    await other.openFile(SMALL_OBJECT_BYTES).end();
    await other.close();
    threads.started[1].events.emit('exit', 0);
    expect(other.failed.aborted).toBe(false);
  });

  it('reports a bug inside a thread as a counting failure', async () => {
    const threads = channelThreads();
    counter = startShardCounter({ tokenizer: 'unicode', perFile: false, threads: 2, spawn: threads.spawn });
    const file = counter.openFile(SMALL_OBJECT_BYTES);
    const ended = file.end();
    threads.started[0].events.emit('message', { type: 'failed', message: 'table corrupt', stack: 'Error: table corrupt\n    at scan' });
    await expect(ended).rejects.toThrow('counting failed: table corrupt');
    expect(counter.failure?.stack).toContain('at scan');
  });
});

describe('startCountWorker', () => {
  it('refuses a thread it was not started for', () => {
    const { port1, port2 } = new MessageChannel();
    expect(() => startCountWorker(port2, { role: 'something-else' })).toThrow('role something-else');
    expect(() => startCountWorker(null, { role: 'count-worker', tokenizer: 'unicode', perFile: false, slots: new SharedArrayBuffer(8), slotBytes: 8 })).toThrow();
    port1.close();
  });
});
