// The seed's design, for comparison: one process per object, which starts, GETs the object,
// counts it and PUTs its counts. `node per-file.cjs SOURCE_BUCKET KEY RESULTS_BUCKET`, with the
// standard AWS environment pointing at the server. Bundled by run.mjs like a stage (one file).
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { createWordCounter, formatFileCounts } from '@wordbatch/word-count';

async function countOne(sourceBucket: string, key: string, resultsBucket: string): Promise<void> {
  const client = createS3Client(process.env);
  try {
    const store = new ObjectStore(client);
    const { body } = await store.open({ bucket: sourceBucket, key });
    const counter = createWordCounter('unicode');
    for await (const chunk of body as AsyncIterable<Buffer>) counter.write(chunk);
    counter.end();
    await store.put({ bucket: resultsBucket, key: `per-file/${key}` }, formatFileCounts(counter.counts));
  } finally {
    client.destroy();
  }
}

const [sourceBucket, key, resultsBucket] = process.argv.slice(2);
countOne(sourceBucket, key, resultsBucket).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`per-file: ${String(error)}\n`);
    process.exit(1);
  },
);
