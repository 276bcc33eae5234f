import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { Agent } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyStack, synthesize, type AppliedStack } from '../stack/applied-stack';
import { IamFront, type RoleSession } from './iam-front';
import { authorizationOf } from './s3-request';
import { selfSignedCertificate, type TlsMaterial } from './tls';

// The front over the real synthesized stack's roles and bucket policies, in front of the
// embedded S3 server, spoken to by the real S3 client over HTTPS.

const WORKSPACE = resolve(__dirname, '../../..');
const ACCOUNT = '123456789012';

describe('authorizationOf', () => {
  it.each([
    ['GET', '/b?list-type=2&prefix=out%2F&delimiter=%2F', 'ListObjectsV2', 's3:ListBucket', 'arn:aws:s3:::b', { 's3:prefix': 'out/', 's3:delimiter': '/' }],
    ['GET', '/b/plans/a%20b.json', 'GetObject', 's3:GetObject', 'arn:aws:s3:::b/plans/a b.json', {}],
    ['HEAD', '/b/k', 'HeadObject', 's3:GetObject', 'arn:aws:s3:::b/k', {}],
    ['GET', '/b/k?versionId=v1', 'GetObject', 's3:GetObjectVersion', 'arn:aws:s3:::b/k', {}],
    ['HEAD', '/b/k?versionId=v1', 'HeadObject', 's3:GetObjectVersion', 'arn:aws:s3:::b/k', {}],
    ['PUT', '/b/out/k', 'PutObject', 's3:PutObject', 'arn:aws:s3:::b/out/k', {}],
    ['POST', '/b/out/k?uploads', 'CreateMultipartUpload', 's3:PutObject', 'arn:aws:s3:::b/out/k', {}],
    ['PUT', '/b/out/k?partNumber=2&uploadId=u', 'UploadPart', 's3:PutObject', 'arn:aws:s3:::b/out/k', {}],
    ['POST', '/b/out/k?uploadId=u', 'CompleteMultipartUpload', 's3:PutObject', 'arn:aws:s3:::b/out/k', {}],
    ['DELETE', '/b/out/k?uploadId=u', 'AbortMultipartUpload', 's3:AbortMultipartUpload', 'arn:aws:s3:::b/out/k', {}],
    ['GET', '/b/out/k?uploadId=u', 'ListParts', 's3:ListMultipartUploadParts', 'arn:aws:s3:::b/out/k', {}],
    ['DELETE', '/b/out/k', 'DeleteObject', 's3:DeleteObject', 'arn:aws:s3:::b/out/k', {}],
  ])('%s %s is %s, authorized as %s on %s', (method, url, operation, action, resource, context) => {
    expect(authorizationOf(method, url)).toMatchObject({ operation, action, resource, context });
  });

  it('knows no operation on the service root', () => {
    expect(authorizationOf('GET', '/')).toBeUndefined();
  });
});

describe('IamFront', () => {
  let stack: AppliedStack;
  let s3: LocalS3;
  let front: IamFront;
  let endpoint: string;
  let tls: TlsMaterial;
  let source: string;
  let destination: string;
  const clients: S3Client[] = [];

  const roleArn = (stage: string) => `arn:aws:iam::${ACCOUNT}:role/wordbatch-${stage}-job`;
  const clientFor = (session: RoleSession) => {
    const client = new S3Client({
      region: stack.region,
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: tls.cert }) }),
    });
    clients.push(client);
    return client;
  };
  const sessionOf = (stage: string) => front.newSession(roleArn(stage), `${stage} test`, stage);

  beforeAll(async () => {
    stack = applyStack(synthesize(WORKSPACE), ACCOUNT);
    [source, destination] = ['src', 'dst'].map((kind) => Object.keys(stack.buckets).find((name) => name.startsWith(`wordbatch-${kind}-`)) ?? '');
    s3 = await startLocalS3({ directory: mkdtempSync(join(tmpdir(), 'wordbatch-front-s3-')), buckets: Object.keys(stack.buckets) });
    tls = selfSignedCertificate();
    front = new IamFront({
      stack,
      upstream: s3.endpoint,
      upstreamCredentials: { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
      tls,
      // Part 2 of any multipart upload to out/faulty/ fails for good.
      faults: (_session, call, url) => (call.operation === 'UploadPart' && call.key?.includes('faulty') && url.searchParams.get('partNumber') === '2' ? { kind: 'error', status: 400, code: 'InvalidPart' } : undefined),
    });
    endpoint = await front.listen();
    const admin = sessionOf('migrate');
    await clientFor(admin).send(new PutObjectCommand({ Bucket: destination, Key: 'out/seed.txt', Body: 'seed' }));
    // The source is filled the way the stack fills it (aws_s3_object): straight into the server.
    const seeder = new S3Client({ region: stack.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await seeder.send(new PutObjectCommand({ Bucket: source, Key: 'documents/a.txt', Body: 'to be or not to be' }));
    await seeder.send(new PutObjectCommand({ Bucket: destination, Key: 'plans/p.json', Body: '{}' }));
    seeder.destroy();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await front.close();
    await s3.close();
  });

  it('lets migrate read the source and plans and write results, and nothing else', async () => {
    const migrate = clientFor(sessionOf('migrate'));
    const object = await migrate.send(new GetObjectCommand({ Bucket: source, Key: 'documents/a.txt' }));
    expect(await object.Body?.transformToString()).toBe('to be or not to be');
    await migrate.send(new PutObjectCommand({ Bucket: destination, Key: 'out/shard.tsv', Body: 'x' }));
    await expect(migrate.send(new PutObjectCommand({ Bucket: destination, Key: 'plans/forged.json', Body: '{}' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(migrate.send(new PutObjectCommand({ Bucket: source, Key: 'documents/b.txt', Body: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('answers 404 for a missing object only to a role that may list the bucket', async () => {
    const merge = clientFor(sessionOf('merge'));
    await expect(merge.send(new GetObjectCommand({ Bucket: destination, Key: 'plans/missing.json' }))).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    // plan may not read the destination at all: 403, whether the object exists or not.
    const plan = clientFor(sessionOf('plan'));
    await expect(plan.send(new GetObjectCommand({ Bucket: destination, Key: 'plans/p.json' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    // migrate may read the source but a missing object there is 404 (it may list the source).
    const migrate = clientFor(sessionOf('migrate'));
    await expect(migrate.send(new HeadObjectCommand({ Bucket: source, Key: 'documents/gone.txt' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('would answer 403 for a missing object if ListBucket were limited by s3:prefix (why the stack grants it unconditioned)', async () => {
    const mergeRole = stack.roles.find((role) => role.arn === roleArn('merge'));
    const [policyName, policy] = Object.entries(mergeRole?.policies ?? {})[0];
    const narrowed = new IamFront({
      stack: {
        ...stack,
        roles: stack.roles.map((role) =>
          role === mergeRole
            ? {
                ...role,
                policies: {
                  [policyName]: {
                    ...policy,
                    Statement: policy.Statement.map((statement) => (statement.Action.includes('s3:ListBucket') ? { ...statement, Condition: { StringLike: { 's3:prefix': ['out/*', 'plans/*'] } } } : statement)),
                  },
                },
              }
            : role,
        ),
      },
      upstream: s3.endpoint,
      upstreamCredentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      tls,
    });
    const narrowedEndpoint = await narrowed.listen();
    const session = narrowed.newSession(roleArn('merge'), 'merge narrowed', 'merge');
    const client = new S3Client({ region: stack.region, endpoint: narrowedEndpoint, forcePathStyle: true, credentials: session, maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: tls.cert }) }) });
    await client.send(new ListObjectsV2Command({ Bucket: destination, Prefix: 'out/' }));
    await expect(client.send(new GetObjectCommand({ Bucket: destination, Key: 'plans/missing.json' }))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    client.destroy();
    await narrowed.close();
  });

  it('evaluates the bucket policy: without TLS even an allowed action is denied', async () => {
    const context = { 'aws:PrincipalArn': roleArn('migrate'), 'aws:PrincipalAccount': ACCOUNT };
    const resource = `arn:aws:s3:::${source}/documents/a.txt`;
    expect(await front.isAllowed(roleArn('migrate'), 's3:GetObject', resource, source, { ...context, 'aws:SecureTransport': 'true' })).toBe(true);
    expect(await front.isAllowed(roleArn('migrate'), 's3:GetObject', resource, source, { ...context, 'aws:SecureTransport': 'false' })).toBe(false);
  });

  it('lets a writer abort the multipart upload that failed, so the real error surfaces', async () => {
    const session = sessionOf('migrate');
    const upload = new Upload({
      client: clientFor(session),
      params: { Bucket: destination, Key: 'out/faulty/shard.tsv', Body: Buffer.alloc(12 * 1024 * 1024, 'a') },
      partSize: 5 * 1024 * 1024,
      queueSize: 1,
      leavePartsOnError: false,
    });
    await expect(upload.done()).rejects.toMatchObject({ name: 'InvalidPart' });
    const calls = front.calls.filter((call) => call.session === session.label && call.resource.endsWith('out/faulty/shard.tsv'));
    expect(calls.map((call) => [call.operation, call.allowed, call.status])).toEqual(
      expect.arrayContaining([
        ['CreateMultipartUpload', true, 200],
        ['UploadPart', true, 400],
        ['AbortMultipartUpload', true, 204],
      ]),
    );
  });

  it('records every call with the stage, action, resource and decision', () => {
    const denied = front.calls.filter((call) => !call.allowed);
    expect(denied.map((call) => `${call.stage} ${call.action} ${call.resource}`)).toEqual(
      expect.arrayContaining([`migrate s3:PutObject arn:aws:s3:::${destination}/plans/forged.json`, `plan s3:GetObject arn:aws:s3:::${destination}/plans/p.json`]),
    );
    expect(front.calls.find((call) => call.missingObjectCheck && call.stage === 'merge')).toMatchObject({ action: 's3:ListBucket', allowed: true, status: 404 });
  });
});
