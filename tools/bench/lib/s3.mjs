// The embedded S3 server as a child process (tools/bench/s3-server.mjs), and the client side
// the benchmark needs: uploads through the workspace's ObjectStore, plain GETs over HTTP.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { createInterface } from 'node:readline';
import { requireKit } from './kit.mjs';

/** Starts the server on `directory` (kept between runs if it exists) with `buckets`. */
export async function startS3Process(directory, buckets) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', 'tools/bench/s3-server.mjs', directory, ...buckets], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the S3 server exited (${code}) before it started`)));
  });
  const { endpoint, env } = JSON.parse(firstLine);
  const { createS3Client, ObjectStore } = requireKit();
  const store = new ObjectStore(createS3Client(env));
  return {
    endpoint,
    env,
    pid: child.pid,
    store,
    async stop() {
      store.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}

/** Puts `objects` ([key, body] pairs) with `concurrency` requests in flight. */
export async function putAll(store, bucket, objects, concurrency = 32) {
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const [key, body] = objects[next++];
      await store.put({ bucket, key }, body);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * GETs every key once with `concurrency` plain keep-alive HTTP requests in flight (unsigned:
 * the embedded server accepts anonymous reads) and reads each body to its end: the server's
 * own rate, with as little client work as a client can do. Returns objects per second.
 */
export async function plainGetRate(endpoint, bucket, keys, concurrency = 16) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const getOne = (key) =>
    new Promise((resolve, reject) => {
      const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
      get(`${endpoint}${path}`, { agent }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode}`));
        response.on('data', () => {});
        response.on('end', resolve);
        response.on('error', reject);
      }).on('error', reject);
    });
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < keys.length) await getOne(keys[next++]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return keys.length / seconds;
}
