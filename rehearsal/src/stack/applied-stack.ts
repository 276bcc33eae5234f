import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The synthesized stack as `terraform apply` would leave it, read from its Terraform JSON:
 * every `${type.name.attribute}` reference the rehearsal reads is replaced by the value AWS
 * would assign (ARNs, the ECR repository URL, the account id), computed from the resource's
 * own arguments. Nothing here restates what the stack says; a reference it cannot resolve
 * is an error, not a guess.
 */

export type Block = Record<string, unknown>;

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Block>>;
  readonly data?: Record<string, Record<string, Block>>;
  readonly output?: Record<string, { value: unknown }>;
}

export interface Policy {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatementJson[];
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface AppliedRole {
  readonly name: string;
  readonly arn: string;
  /** Inline policies, parsed, by policy name. */
  readonly policies: Readonly<Record<string, Policy>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AppliedJobDefinition {
  readonly name: string;
  readonly arn: string;
  readonly type: string;
  readonly platformCapabilities: readonly string[];
  /** containerProperties, parsed, references resolved. */
  readonly containerProperties: ContainerProperties;
  readonly timeout?: { readonly attemptDurationSeconds: number };
  readonly retryStrategy?: RetryStrategyJson;
}

export interface ContainerProperties {
  readonly image: string;
  readonly command?: readonly string[];
  readonly jobRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly user?: string;
  readonly environment?: readonly { name: string; value: string }[];
  readonly resourceRequirements?: readonly { type: string; value: string }[];
  readonly readonlyRootFilesystem?: boolean;
  readonly volumes?: readonly { name: string; host?: { sourcePath?: string } }[];
  readonly mountPoints?: readonly { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
  readonly linuxParameters?: { initProcessEnabled?: boolean };
  readonly logConfiguration?: { logDriver: string; options?: Record<string, string> };
}

export interface RetryStrategyJson {
  readonly attempts?: number;
  readonly evaluateOnExit?: readonly { action: string; onExitCode?: string; onReason?: string; onStatusReason?: string }[];
}

export interface AppliedStack {
  readonly accountId: string;
  readonly region: string;
  readonly json: TerraformJson;
  readonly jobDefinitions: readonly AppliedJobDefinition[];
  readonly jobQueues: readonly { name: string; arn: string; state: string }[];
  readonly roles: readonly AppliedRole[];
  /** Bucket name to its bucket policy (parsed). */
  readonly buckets: Readonly<Record<string, Policy | undefined>>;
  readonly logGroups: readonly string[];
  /** ECR repository name to its URL. */
  readonly repositories: Readonly<Record<string, string>>;
  /** What `terraform output -json` would print. */
  readonly outputs: Readonly<Record<string, { value: unknown }>>;
}

const REFERENCE = /\$\{((?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_]+)\}/g;

/** Reads the Terraform JSON of the stack `synthesize` wrote. */
export function applyStack(json: TerraformJson, accountId: string): AppliedStack {
  const resources = json.resource ?? {};
  const region = String(((json as { provider?: { aws?: Block[] } }).provider?.aws?.[0] ?? {})['region'] ?? '');
  if (!region) throw new Error('the synthesized stack has no aws provider region');

  const attribute = (address: string): string => {
    const parts = address.split('.');
    const [type, name, attr] = parts[0] === 'data' ? [`data.${parts[1]}`, parts[2], parts[3]] : parts;
    if (type === 'data.aws_caller_identity' && attr === 'account_id') return accountId;
    const body = resources[type]?.[name];
    if (body === undefined) throw new Error(`the stack refers to ${address}, which it does not define`);
    const arg = (key: string) => resolve(String(body[key]));
    switch (`${type}.${attr}`) {
      case 'aws_s3_bucket.bucket':
      case 'aws_s3_bucket.id':
        return arg('bucket');
      case 'aws_s3_bucket.arn':
        return `arn:aws:s3:::${arg('bucket')}`;
      case 'aws_iam_role.name':
      case 'aws_iam_role.id':
        return arg('name');
      case 'aws_iam_role.arn':
        return `arn:aws:iam::${accountId}:role/${arg('name')}`;
      case 'aws_ecr_repository.name':
        return arg('name');
      case 'aws_ecr_repository.arn':
        return `arn:aws:ecr:${region}:${accountId}:repository/${arg('name')}`;
      case 'aws_ecr_repository.repository_url':
        return `${accountId}.dkr.ecr.${region}.amazonaws.com/${arg('name')}`;
      case 'aws_cloudwatch_log_group.name':
        return arg('name');
      case 'aws_cloudwatch_log_group.arn':
        return `arn:aws:logs:${region}:${accountId}:log-group:${arg('name')}`;
      case 'aws_batch_job_queue.name':
        return arg('name');
      case 'aws_batch_job_queue.arn':
        return `arn:aws:batch:${region}:${accountId}:job-queue/${arg('name')}`;
      case 'aws_batch_job_definition.name':
        return arg('name');
      case 'aws_batch_job_definition.arn':
        // The first revision of a new job definition.
        return `arn:aws:batch:${region}:${accountId}:job-definition/${arg('name')}:1`;
      default:
        throw new Error(`the rehearsal does not know what AWS assigns to ${type}.${attr} (${address})`);
    }
  };
  const resolve = (text: string): string => text.replace(REFERENCE, (_match, address: string) => attribute(address));
  const resolveDeep = (value: unknown): unknown => {
    if (typeof value === 'string') return resolve(value);
    if (Array.isArray(value)) return value.map(resolveDeep);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolveDeep(inner)]));
    }
    return value;
  };

  const jobDefinitions = Object.values(resources['aws_batch_job_definition'] ?? {}).map((body) => {
    const retry = body['retry_strategy'] as { attempts?: number; evaluate_on_exit?: Block[] } | undefined;
    const timeout = body['timeout'] as { attempt_duration_seconds?: number } | undefined;
    return {
      name: resolve(String(body['name'])),
      arn: `arn:aws:batch:${region}:${accountId}:job-definition/${resolve(String(body['name']))}:1`,
      type: String(body['type']),
      platformCapabilities: (body['platform_capabilities'] as string[] | undefined) ?? ['EC2'],
      containerProperties: JSON.parse(resolve(String(body['container_properties']))) as ContainerProperties,
      ...(timeout?.attempt_duration_seconds === undefined ? {} : { timeout: { attemptDurationSeconds: timeout.attempt_duration_seconds } }),
      ...(retry === undefined
        ? {}
        : {
            retryStrategy: {
              attempts: retry.attempts,
              evaluateOnExit: (retry.evaluate_on_exit ?? []).map((rule) => ({
                action: String(rule['action']),
                ...(rule['on_exit_code'] === undefined ? {} : { onExitCode: String(rule['on_exit_code']) }),
                ...(rule['on_reason'] === undefined ? {} : { onReason: String(rule['on_reason']) }),
                ...(rule['on_status_reason'] === undefined ? {} : { onStatusReason: String(rule['on_status_reason']) }),
              })),
            },
          }),
    } satisfies AppliedJobDefinition;
  });

  const jobQueues = Object.values(resources['aws_batch_job_queue'] ?? {}).map((body) => ({
    name: resolve(String(body['name'])),
    arn: `arn:aws:batch:${region}:${accountId}:job-queue/${resolve(String(body['name']))}`,
    state: String(body['state'] ?? 'ENABLED'),
  }));

  const roleAddresses = Object.entries(resources['aws_iam_role'] ?? {});
  const inline = Object.values(resources['aws_iam_role_policy'] ?? {});
  const roles = roleAddresses.map(([id, body]) => {
    const name = resolve(String(body['name']));
    const policies = Object.fromEntries(
      inline
        .filter((policy) => resolve(String(policy['role'])) === name)
        .map((policy) => [resolve(String(policy['name'])), JSON.parse(resolve(String(policy['policy']))) as Policy]),
    );
    if (Object.keys(resources['aws_iam_role_policy_attachment'] ?? {}).length > 0 && id) {
      // Managed policies cannot be read from the stack; the rehearsal only knows inline ones.
      const attached = Object.values(resources['aws_iam_role_policy_attachment'] ?? {}).filter((a) => resolve(String(a['role'])) === name);
      if (attached.length > 0) throw new Error(`role ${name} has managed policies attached, which the rehearsal cannot evaluate`);
    }
    return {
      name,
      arn: `arn:aws:iam::${accountId}:role/${name}`,
      policies,
      tags: (resolveDeep(body['tags'] ?? {}) as Record<string, string>) ?? {},
    } satisfies AppliedRole;
  });

  const bucketPolicies = Object.values(resources['aws_s3_bucket_policy'] ?? {});
  const buckets = Object.fromEntries(
    Object.values(resources['aws_s3_bucket'] ?? {}).map((body) => {
      const name = resolve(String(body['bucket']));
      const policy = bucketPolicies.find((candidate) => resolve(String(candidate['bucket'])) === name);
      return [name, policy === undefined ? undefined : (JSON.parse(resolve(String(policy['policy']))) as Policy)];
    }),
  );

  const repositories = Object.fromEntries(
    Object.values(resources['aws_ecr_repository'] ?? {}).map((body) => {
      const name = resolve(String(body['name']));
      return [name, `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}`];
    }),
  );

  const outputs = Object.fromEntries(
    Object.entries(json.output ?? {}).map(([name, output]) => [name, { value: resolveDeep(output.value) }]),
  );

  return {
    accountId,
    region,
    json,
    jobDefinitions,
    jobQueues,
    roles,
    buckets,
    logGroups: Object.values(resources['aws_cloudwatch_log_group'] ?? {}).map((body) => resolve(String(body['name']))),
    repositories,
    outputs,
  };
}

/**
 * Synthesizes the real stack with the bundled infra program (`nx run infra:bundle`), as
 * `nx run infra:synth` does, into a fresh folder, and returns its Terraform JSON.
 * `env` carries the WORDBATCH_* settings, as a user's shell would.
 */
export function synthesize(workspaceRoot: string, env: Readonly<Record<string, string>> = {}): TerraformJson {
  const outdir = mkdtempSync(join(tmpdir(), 'wordbatch-rehearsal-synth-'));
  const result = spawnSync(process.execPath, [join(workspaceRoot, 'dist/infra/main.js')], {
    cwd: join(workspaceRoot, 'infra'),
    env: { ...process.env, ...env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`synthesizing the stack failed (${result.status}): ${result.stderr.trim()}`);
  }
  const stacks = readdirSync(join(outdir, 'stacks'));
  if (stacks.length !== 1) throw new Error(`expected one synthesized stack, found ${stacks.join(', ')}`);
  return JSON.parse(readFileSync(join(outdir, 'stacks', stacks[0], 'cdk.tf.json'), 'utf8')) as TerraformJson;
}
