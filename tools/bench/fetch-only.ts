// Fetching alone, the way migrate fetches: the workspace's ObjectStore (its signed direct
// GETs), `concurrency` GETs in flight, each body read to its end and nothing counted.
// `node fetch-only.cjs BUCKET CONCURRENCY < keys` (one key a line), with the standard AWS
// environment pointing at the server. Bundled by run.mjs like a stage.
import { readFileSync } from 'node:fs';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';

async function fetchAll(bucket: string, keys: readonly string[], concurrency: number): Promise<void> {
  const store = new ObjectStore(createS3Client(process.env));
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < keys.length) {
          const { body } = await store.open({ bucket, key: keys[next++] });
          for await (const chunk of body as AsyncIterable<Buffer>) void chunk;
        }
      }),
    );
  } finally {
    store.destroy();
  }
}

const [bucket, concurrency] = process.argv.slice(2);
const keys = readFileSync(0, 'utf8').split('\n').filter((key) => key !== '');
fetchAll(bucket, keys, Number(concurrency)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`fetch-only: ${String(error)}\n`);
    process.exit(1);
  },
);
