import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalS3 } from './local-s3';

describe('startLocalS3', () => {
  it('serves S3 on a loopback port with the buckets asked for', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'wordbatch-local-s3-'));
    const server = await startLocalS3({ directory, buckets: ['first-bucket'] });
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.env['AWS_ENDPOINT_URL_S3']).toBe(server.endpoint);
      const response = await fetch(`${server.endpoint}/first-bucket?list-type=2`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<ListBucketResult');
    } finally {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
