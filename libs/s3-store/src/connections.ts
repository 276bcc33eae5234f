import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** Enough sockets for the stages' bounded concurrency, never an unbounded pool. */
const MAX_SOCKETS = 64;
export const CONNECT_TIMEOUT_MS = 10_000;
/** Longest silence on a connection, before or during the body. */
export const IDLE_TIMEOUT_MS = 120_000;

/** The keep-alive agents of one S3 request path (the SDK's handler, the direct GETs). */
export function keepAliveAgents(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
}
