import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { LOCAL_S3_CREDENTIALS, startLocalS3, type LocalS3 } from '@wordbatch/local-s3';
import { createS3Client, ObjectStore } from '@wordbatch/s3-store';
import { BatchEndpoint, type AttemptContext } from './batch/batch-endpoint';
import { PodmanRunner } from './batch/containers';
import { CredentialsEndpoint } from './iam/credentials-endpoint';
import { IamFront, type Fault } from './iam/iam-front';
import type { S3Authorization } from './iam/s3-request';
import { selfSignedCertificate } from './iam/tls';
import { applyStack, synthesize, type AppliedStack } from './stack/applied-stack';

/**
 * Everything the rehearsal stands up in place of an AWS account, in the order of the
 * first-deploy checklist (docs/aws-batch.md): the synthesized stack, "applied" (buckets on
 * the embedded S3 server, the sample documents uploaded as its aws_s3_object does, the stage
 * images pushed under their ECR repository URLs), the IAM-enforcing S3 front, the Batch
 * endpoint running the job definitions with podman, and the outputs file `wordbatch submit
 * --infra-outputs` reads.
 */

export const WORKSPACE = resolve(__dirname, '../..');
/** The account the rehearsal pretends to deploy into. */
export const ACCOUNT = '123456789012';
/** Where the CA of the front's certificate is mounted in every container. */
const CA_IN_CONTAINER = '/etc/rehearsal/s3-front-ca.pem';

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type FaultPlan = (attempt: AttemptContext, call: S3Authorization, url: URL) => Fault | undefined;

export interface RehearsalWorld {
  readonly stack: AppliedStack;
  readonly s3: LocalS3;
  /** An operator's view of the buckets, straight on the embedded server. */
  readonly store: ObjectStore;
  readonly front: IamFront;
  readonly batch: BatchEndpoint;
  /** The Batch endpoint's URL (AWS_ENDPOINT_URL_BATCH). */
  readonly batchUrl: string;
  readonly logsDir: string;
  readonly outputsFile: string;
  /** Attempt contexts by the access key id their session was given. */
  readonly attempts: Map<string, AttemptContext>;
  /** Sessions deliberately given another stage's role (the wrong-role scenario): job name to stage. */
  readonly roleOverrides: Map<string, string>;
  faults: FaultPlan | undefined;
  readonly images: readonly string[];
  wordbatch(args: readonly string[]): Promise<CommandRun>;
  close(): Promise<void>;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function podmanOk(args: readonly string[]): string {
  const result = spawnSync('podman', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`podman ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

export async function standUp(settings: Readonly<Record<string, string>>): Promise<RehearsalWorld> {
  // 1. Synthesize, as `npx nx run infra:synth` does, with the operator's settings.
  const stack = applyStack(synthesize(WORKSPACE, settings), ACCOUNT);

  // 2. "Apply": the buckets exist, the documents are uploaded under the documents prefix.
  const s3 = await startLocalS3({ directory: mkdtempSync(join(tmpdir(), 'wordbatch-rehearsal-s3-')), buckets: Object.keys(stack.buckets) });
  const store = new ObjectStore(createS3Client(s3.env));
  const documentsPrefix = String(stack.outputs['documents_prefix']?.value ?? '');
  const [, documentsBucket, documentsKeyPrefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(documentsPrefix) ?? [];
  if (!documentsBucket) throw new Error(`the stack's documents_prefix output is ${documentsPrefix}`);
  const documentsDir = join(WORKSPACE, 'documents');
  for (const file of listFiles(documentsDir)) {
    await store.put({ bucket: documentsBucket, key: `${documentsKeyPrefix}${relative(documentsDir, file)}` }, readFileSync(file));
  }

  // 3. Push the images: each stage's local image, tagged as the job definition references it.
  const images = [...new Set(stack.jobDefinitions.map((definition) => definition.containerProperties.image))];
  for (const image of images) {
    const repository = image.split('/').at(-1)?.split(':')[0] ?? '';
    podmanOk(['tag', `localhost/${repository}:latest`, image]);
  }

  // 4. The S3 front (HTTPS, IAM enforced) and the Batch endpoint (podman).
  const tls = selfSignedCertificate();
  const attempts = new Map<string, AttemptContext>();
  const roleOverrides = new Map<string, string>();
  const world: { faults: FaultPlan | undefined } = { faults: undefined };
  const front = new IamFront({
    stack,
    upstream: s3.endpoint,
    upstreamCredentials: { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    tls,
    faults: (session, call, url) => {
      const attempt = attempts.get(session.accessKeyId);
      return attempt === undefined ? undefined : world.faults?.(attempt, call, url);
    },
  });
  const frontUrl = await front.listen();
  const credentials = new CredentialsEndpoint();
  await credentials.listen();
  const logsDir = mkdtempSync(join(tmpdir(), 'wordbatch-rehearsal-logs-'));
  const stageOf = (definitionName: string) => definitionName.split('-').at(-1) ?? definitionName;
  const batch = new BatchEndpoint({
    stack,
    runner: new PodmanRunner([{ hostPath: tls.certFile, containerPath: CA_IN_CONTAINER }]),
    logsDir,
    maxRunning: 3,
    platformEnvironment: (attempt) => {
      const ownStage = stageOf(attempt.definition.name);
      const roleStage = roleOverrides.get(attempt.jobName) ?? ownStage;
      const roleArn = roleStage === ownStage ? (attempt.definition.containerProperties.jobRoleArn ?? '') : `arn:aws:iam::${ACCOUNT}:role/${roleNameOf(stack, roleStage)}`;
      const index = attempt.arrayIndex === undefined ? '' : `[${attempt.arrayIndex}]`;
      const session = front.newSession(roleArn, `${attempt.jobName}${index} attempt ${attempt.attempt}`, roleStage === ownStage ? ownStage : `${ownStage} as ${roleStage}`);
      attempts.set(session.accessKeyId, attempt);
      // What the task gets from the platform: its role's credentials endpoint, and here the
      // S3 endpoint (the front) and the CA its certificate chains to.
      return {
        ...credentials.environmentFor(session),
        AWS_ENDPOINT_URL_S3: frontUrl,
        NODE_EXTRA_CA_CERTS: CA_IN_CONTAINER,
      };
    },
  });
  const batchUrl = await batch.listen();

  // 5. `terraform output -json`, saved where `wordbatch submit --infra-outputs` reads it.
  const outputsFile = join(mkdtempSync(join(tmpdir(), 'wordbatch-rehearsal-outputs-')), 'outputs.json');
  writeFileSync(outputsFile, JSON.stringify(stack.outputs, null, 2));

  const operatorEnv = {
    PATH: process.env['PATH'] ?? '',
    AWS_REGION: stack.region,
    AWS_ENDPOINT_URL_BATCH: batchUrl,
    // The operator's own S3 access (retry-failed writes its index map) is the administrator's:
    // straight to the embedded server, not through the job roles' front.
    ...s3.env,
  };
  const result = {
    stack,
    s3,
    store,
    front,
    batch,
    batchUrl,
    logsDir,
    outputsFile,
    attempts,
    roleOverrides,
    images,
    get faults() {
      return world.faults;
    },
    set faults(plan: FaultPlan | undefined) {
      world.faults = plan;
    },
    wordbatch: (args: readonly string[]) => runNode(join(WORKSPACE, 'dist/apps/wordbatch/main.js'), args, operatorEnv),
    async close() {
      await batch.close();
      await front.close();
      await credentials.close();
      store.client.destroy();
      await s3.close();
    },
  };
  return result;
}

function roleNameOf(stack: AppliedStack, stage: string): string {
  const role = stack.roles.find((candidate) => candidate.name.endsWith(`-${stage}-job`));
  if (role === undefined) throw new Error(`the stack has no job role for ${stage}`);
  return role.name;
}

export function runNode(script: string, args: readonly string[], env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<CommandRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}
