// The embedded S3 server in a process of its own, so that the benchmark's clients never share
// its event loop: `node --openssl-legacy-provider tools/bench/s3-server.mjs DIR BUCKET...`.
// Needs the kit built (lib/kit.mjs buildKit). Prints one JSON line with the endpoint and environment, then serves until stdin closes.
import { requireKit } from './lib/kit.mjs';

const [directory, ...buckets] = process.argv.slice(2);
const { startLocalS3 } = requireKit();
const server = await startLocalS3({ directory, buckets });
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, env: server.env })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
