import { PassThrough } from 'node:stream';
import { createLogger, redactSecrets } from './logger';

function logLines(env: Record<string, string>, log: (logger: ReturnType<typeof createLogger>) => void) {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  log(createLogger({ stage: 'migrate', env, destination: out }));
  return chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('stamps every line with the Batch job, attempt and array index', () => {
    const [line] = logLines(
      { AWS_BATCH_JOB_ID: 'job-1', AWS_BATCH_JOB_ATTEMPT: '2', AWS_BATCH_JOB_ARRAY_INDEX: '7' },
      (logger) => logger.info({ files: 3 }, 'Migrate:ShardDone'),
    );
    expect(line).toMatchObject({
      event: 'Migrate:ShardDone',
      stage: 'migrate',
      batchJobId: 'job-1',
      batchAttempt: 2,
      arrayIndex: 7,
      files: 3,
      level: 'info',
    });
  });

  it('leaves out Batch fields off Batch and honours LOG_LEVEL', () => {
    const lines = logLines({ LOG_LEVEL: 'warn' }, (logger) => {
      logger.info('Hidden');
      logger.warn('Shown');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toHaveProperty('batchJobId');
  });

  it('never writes credentials or signatures', () => {
    const [line] = logLines({}, (logger) =>
      logger.info(
        { credentials: { secretAccessKey: 'SECRET1' }, request: { secretAccessKey: 'SECRET2', headers: { authorization: 'AWS4 SECRET3' } } },
        'https://b.s3.amazonaws.com/k?X-Amz-Signature=SECRET4&X-Amz-Credential=SECRET5',
      ),
    );
    expect(JSON.stringify(line)).not.toMatch(/SECRET/);
  });

  it('never writes the process credentials, wherever they turn up, nor a SigV4 Authorization header', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID0001', AWS_SECRET_ACCESS_KEY: 'wJalrSECRETbPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzTOKEN//+=' };
    const lines = logLines(env, (logger) => {
      logger.error({ err: new Error(`denied for ${env.AWS_SECRET_ACCESS_KEY}`), nested: { deeper: { token: env.AWS_SESSION_TOKEN } } }, 'Stage:Crashed');
      logger.warn(
        { request: 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEYID0001/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0123abcd' },
        'Odd:Event',
      );
      logger.info({ url: 'https://b.s3.amazonaws.com/k?X-Amz-Security-Token=FwoG&X-Amz-Date=1' }, 'Odd:Url');
    });
    const text = JSON.stringify(lines);
    expect(lines).toHaveLength(3);
    for (const secret of [...Object.values(env), '0123abcd', 'FwoG&']) expect(text).not.toContain(secret);
    expect(lines[1]).toMatchObject({ request: expect.stringContaining('SignedHeaders=host, Signature=[Redacted]') });
  });

  it('redacts presigned URL parameters in text', () => {
    expect(redactSecrets('GET /k?a=1&X-Amz-Signature=abc&b=2')).toBe('GET /k?a=1&X-Amz-Signature=[Redacted]&b=2');
  });

  it('redacts every parameter of a signed URL and the secret values given', () => {
    const url = 'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA1%2F2&X-Amz-Signature=ff00&X-Amz-Security-Token=tok';
    expect(redactSecrets(url)).toBe(
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=[Redacted]&X-Amz-Signature=[Redacted]&X-Amz-Security-Token=[Redacted]',
    );
    expect(redactSecrets('key=SECRETVALUE and again SECRETVALUE', ['SECRETVALUE'])).toBe('key=[Redacted] and again [Redacted]');
  });
});
