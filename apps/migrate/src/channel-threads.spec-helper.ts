import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import type { CountWorkerHandle } from './counter';
import { serveCountWorker, type CountWorkerData, type FromCountWorker, type ToCountWorker } from './count-worker';

/**
 * Counting threads played by MessageChannels in this thread: the same messages, cloned and
 * transferred by the same machinery as between threads, without starting any.
 */
export function channelThreads() {
  const started: Array<{ data: CountWorkerData; events: EventEmitter; worker: { postMessage(message: FromCountWorker): void } }> = [];
  const spawn = (data: CountWorkerData): CountWorkerHandle => {
    const { port1, port2 } = new MessageChannel();
    serveCountWorker(port2, data);
    const events = new EventEmitter();
    port1.on('message', (message: FromCountWorker) => events.emit('message', message));
    started.push({ data, events, worker: port2 });
    return {
      postMessage: (message: ToCountWorker) => port1.postMessage(message),
      on: (event: string, listener: (...args: never[]) => void) => events.on(event, listener as (...args: unknown[]) => void),
      terminate: async () => {
        port1.close();
        port2.close();
        return 0;
      },
    };
  };
  return { spawn, started };
}

