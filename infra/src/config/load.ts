import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGE_NAMES } from '@wordbatch/pipeline';
import type { z } from 'zod';
import { configSchema, resolveStages, type WordbatchConfig } from './schema';

/** A configuration the stack cannot be built from; the message names every bad setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_CONFIG_FILE = 'wordbatch.config.json';

type EnvParser = 'string' | 'number' | 'boolean' | 'list';

/** Each environment variable, the config setting it overrides, and how to read it. */
export const ENV_SETTINGS: readonly (readonly [string, string, EnvParser])[] = [
  ['WORDBATCH_REGION', 'region', 'string'],
  ['WORDBATCH_NAME_PREFIX', 'namePrefix', 'string'],
  ['WORDBATCH_COMPUTE_TYPE', 'computeType', 'string'],
  ['WORDBATCH_MAX_VCPUS', 'maxVcpus', 'number'],
  ['WORDBATCH_INSTANCE_TYPES', 'instanceTypes', 'list'],
  ['WORDBATCH_CPU_ARCHITECTURE', 'cpuArchitecture', 'string'],
  ['WORDBATCH_RETRY_ATTEMPTS', 'retryAttempts', 'number'],
  ['WORDBATCH_LOG_RETENTION_DAYS', 'logRetentionDays', 'number'],
  ['WORDBATCH_IMAGE_TAG', 'imageTag', 'string'],
  ['WORDBATCH_ECR_KEEP_IMAGES', 'ecrKeepImages', 'number'],
  ['WORDBATCH_SOURCE_BUCKET', 'buckets.sourceName', 'string'],
  ['WORDBATCH_DESTINATION_BUCKET', 'buckets.destinationName', 'string'],
  ['WORDBATCH_VERSIONING', 'buckets.versioning', 'boolean'],
  ['WORDBATCH_FORCE_DESTROY', 'buckets.forceDestroy', 'boolean'],
  ['WORDBATCH_PLANS_PREFIX', 'buckets.plansPrefix', 'string'],
  ['WORDBATCH_RESULTS_PREFIX', 'buckets.resultsPrefix', 'string'],
  ['WORDBATCH_INPUTS_PREFIX', 'buckets.inputsPrefix', 'string'],
  ['WORDBATCH_UPLOAD_DOCUMENTS', 'documents.upload', 'boolean'],
  ['WORDBATCH_DOCUMENTS_PATH', 'documents.path', 'string'],
  ['WORDBATCH_VPC_CIDR', 'network.vpcCidr', 'string'],
  ['WORDBATCH_AVAILABILITY_ZONES', 'network.availabilityZones', 'number'],
  ['WORDBATCH_SUBNET_IDS', 'network.subnetIds', 'list'],
  ['WORDBATCH_SECURITY_GROUP_IDS', 'network.securityGroupIds', 'list'],
  ...STAGE_NAMES.flatMap((stage) => {
    const env = `WORDBATCH_${stage.toUpperCase()}`;
    return [
      [`${env}_VCPUS`, `stages.${stage}.vcpus`, 'number'],
      [`${env}_MEMORY_MIB`, `stages.${stage}.memoryMiB`, 'number'],
      [`${env}_TIMEOUT_SECONDS`, `stages.${stage}.timeoutSeconds`, 'number'],
    ] as const;
  }),
];

const CONFIG_FILE_ENV = 'WORDBATCH_CONFIG';

// A value that does not parse is passed through as a string, so that the schema rejects it
// with a message naming the variable instead of silently dropping it.
function parseEnvValue(raw: string, parser: EnvParser): unknown {
  const value = raw.trim();
  switch (parser) {
    case 'string':
      return value;
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      if (/^(true|1|yes)$/i.test(value)) return true;
      if (/^(false|0|no)$/i.test(value)) return false;
      return value;
    case 'list':
      return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }
}

function setPath(target: Record<string, unknown>, dottedPath: string, value: unknown): void {
  const keys = dottedPath.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node[key] = typeof child === 'object' && child !== null ? { ...child } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

export interface ConfigSources {
  /** The environment to read `WORDBATCH_*` from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where relative paths (the config file, documents.path) are resolved: infra/. */
  readonly baseDir: string;
}

export interface LoadedConfig {
  readonly config: WordbatchConfig;
  /** The config file that was read, if any. */
  readonly file?: string;
  /** Absolute path of the documents folder to upload. */
  readonly documentsDir: string;
  /** `WORDBATCH_*` variables that match no setting: likely typos. */
  readonly unknownEnv: readonly string[];
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  origins: ReadonlyMap<string, string>,
  fileLabel: string,
): string[] {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return keys.map((key) => {
    const setting = [...issue.path, ...(key === undefined ? [] : [key])].join('.') || '(root)';
    const origin = origins.get(setting) ?? fileLabel;
    const message = issue.code === 'unrecognized_keys' ? 'is not a known setting' : issue.message;
    return `  - ${setting} (from ${origin}): ${message}`;
  });
}

/**
 * Reads the configuration: the defaults, overridden by the config file (WORDBATCH_CONFIG, or
 * wordbatch.config.json in baseDir if it exists), overridden by `WORDBATCH_*` variables.
 */
export function loadConfig({ env, baseDir }: ConfigSources): LoadedConfig {
  const explicitFile = env[CONFIG_FILE_ENV];
  const defaultFile = path.resolve(baseDir, DEFAULT_CONFIG_FILE);
  const file = explicitFile
    ? path.resolve(baseDir, explicitFile)
    : fs.existsSync(defaultFile)
      ? defaultFile
      : undefined;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};
  const origins = new Map<string, string>();
  for (const [variable, setting, parser] of ENV_SETTINGS) {
    const value = env[variable];
    if (value === undefined || value.trim() === '') continue;
    setPath(raw, setting, parseEnvValue(value, parser));
    origins.set(setting, variable);
  }
  const fileLabel = file ? path.relative(baseDir, file) || file : 'defaults';
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.flatMap((issue) => describeIssue(issue, origins, fileLabel));
    throw new ConfigError(`Invalid wordbatch infra configuration:\n${lines.join('\n')}`);
  }
  const known = new Set([CONFIG_FILE_ENV, ...ENV_SETTINGS.map(([variable]) => variable)]);
  const unknownEnv = Object.keys(env).filter(
    (variable) => variable.startsWith('WORDBATCH_') && !known.has(variable),
  );
  const configDir = file ? path.dirname(file) : baseDir;
  return {
    config: resolveStages(result.data),
    file,
    documentsDir: path.resolve(configDir, result.data.documents.path),
    unknownEnv,
  };
}
