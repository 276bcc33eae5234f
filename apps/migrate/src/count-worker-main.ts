// A counting thread's entry: bundled on its own and started from that text
// (tools/build/esbuild.config.mjs's bundled-source), so a thread compiles the counting code
// and not the whole of migrate.
import { parentPort, workerData } from 'node:worker_threads';
import { startCountWorker } from './count-worker';

startCountWorker(parentPort, workerData);
