// The ceiling for one large object on every core, without migrate's relay: THREADS threads,
// each GETting its own ranges of the object and counting them (the `unicode` tokenizer), cut at
// newlines as migrate cuts its pieces. What it leaves out, on purpose: signing (the embedded
// server accepts anonymous reads), retries, the encoding and binary checks, the copies and
// messages between threads, the result. So its CPU per MB on 1 thread against N threads is what
// N busy threads cost this machine before migrate's own costs (each thread has one GET at a time,
// so its MB/s is bound by the server's rate a connection), and its words must equal migrate's.
// `node thread-gets.cjs URL SIZE THREADS PART_BYTES`; prints {"words":N}. Bundled by lib/kit.mjs.
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createWordCounter } from '@wordbatch/word-count';

const NEWLINE = 0x0a;
/** Bytes read past a range's end to find the newline that ends its last line. */
const LOOKAHEAD_BYTES = 64 * 1024;

interface Job {
  readonly url: string;
  readonly size: number;
  readonly partBytes: number;
  /** The next part to take, shared by the threads. */
  readonly next: Int32Array;
}

/**
 * Counts the lines that end in [start, end) of the part's range and the line running past its
 * end: the text after the first newline at or past `start` (all of it for the first part),
 * through the first newline at or past `end`. Every byte is so counted by exactly one part.
 */
async function countPart(job: Job, agent: Agent, counter: ReturnType<typeof createWordCounter>, part: number): Promise<void> {
  const start = part * job.partBytes;
  const end = Math.min(job.size, start + job.partBytes);
  const last = Math.min(job.size, end + LOOKAHEAD_BYTES);
  let position = start;
  let skipping = start > 0;
  let ended = false;
  await new Promise<void>((resolve, reject) => {
    const get = request(job.url, { agent, headers: { range: `bytes=${start}-${last - 1}` } }, (response) => {
      if (response.statusCode !== 206) reject(new Error(`GET bytes ${start}-${last - 1}: HTTP ${response.statusCode}`));
      response.on('data', (chunk: Buffer) => {
        const at = position;
        position += chunk.length;
        if (ended) return;
        let from = 0;
        if (skipping) {
          const newline = chunk.indexOf(NEWLINE);
          if (newline === -1) return;
          skipping = false;
          from = newline + 1;
          // That newline ends the line the part before reads through: if it lies past this
          // part's end, no line ends in this part, and nothing of it is this part's to count.
          if (at + newline >= end) {
            ended = true;
            return;
          }
        }
        const newline = chunk.indexOf(NEWLINE, Math.max(from, end - at));
        if (newline !== -1) ended = true;
        const to = newline === -1 ? chunk.length : newline + 1;
        if (to > from) counter.write(chunk.subarray(from, to));
      });
      response.on('end', resolve);
      response.on('error', reject);
    });
    get.on('error', reject);
    get.end();
  });
  if (!ended && last < job.size) throw new Error(`no newline in the ${LOOKAHEAD_BYTES} bytes after part ${part}: this bench needs shorter lines`);
}

async function countParts(job: Job): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const counter = createWordCounter('unicode');
  for (let part = Atomics.add(job.next, 0, 1); part * job.partBytes < job.size; part = Atomics.add(job.next, 0, 1)) {
    await countPart(job, agent, counter, part);
  }
  counter.end();
  agent.destroy();
  return counter.words;
}

if (isMainThread) {
  const [url, size, threads, partBytes] = process.argv.slice(2);
  const job: Job = { url, size: Number(size), partBytes: Number(partBytes), next: new Int32Array(new SharedArrayBuffer(4)) };
  const counted = Array.from(
    { length: Number(threads) },
    () =>
      new Promise<number>((resolve, reject) => {
        const thread = new Worker(__filename, { workerData: job });
        thread.once('message', resolve);
        thread.once('error', reject);
      }),
  );
  Promise.all(counted).then(
    (words) => {
      process.stdout.write(`${JSON.stringify({ words: words.reduce((sum, count) => sum + count, 0) })}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`thread-gets: ${String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  countParts(workerData as Job).then((words) => parentPort?.postMessage(words));
}
