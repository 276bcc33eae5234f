import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from '@wordbatch/errors';

type Env = Readonly<Record<string, string | undefined>>;
type AwsCredentialIdentityProvider = ReturnType<typeof fromIni>;

/** The services a wordbatch program calls, by the names their AWS_ENDPOINT_URL_<NAME> variables use. */
export type AwsService = 'S3' | 'BATCH';

/** What an SDK client of `service` is given: everything read from the environment passed in. */
export interface AwsClientSettings {
  /** Undefined: the SDK's own rules (the service's public endpoint, or the profile's endpoint_url). */
  readonly endpoint?: string;
  readonly region: () => Promise<string>;
  /** Undefined: the SDK's default chain (container and instance roles, SSO, web identity). */
  readonly credentials?: S3ClientConfig['credentials'];
  /** The named profile, for the SDK's other settings in ~/.aws/config. */
  readonly profile?: string;
}

/** S3's region when nothing names one, as the AWS CLI's `aws s3` uses; Batch has no such default. */
const S3_DEFAULT_REGION = 'us-east-1';

/**
 * The AWS CLI's reading of the standard environment, from `env` (the process's environment with
 * the common flags applied: --profile sets AWS_PROFILE, --region AWS_REGION, --endpoint-url
 * AWS_ENDPOINT_URL and every AWS_ENDPOINT_URL_<SERVICE>), not from process.env behind its back:
 * - endpoint: AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL;
 * - credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the
 *   profile AWS_PROFILE names, read from AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (or
 *   ~/.aws/credentials and ~/.aws/config) with everything a profile may say (keys, role_arn,
 *   credential_process, SSO); a profile that does not exist is an error, not a fall-through to
 *   another identity; else the SDK's default chain. --profile drops the environment's keys
 *   (see takeCommonFlags), as the AWS CLI's --profile wins over them;
 * - region: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region`, else us-east-1
 *   for S3 (the Batch client then fails saying no region is set).
 */
export function awsClientSettings(env: Env, service: AwsService): AwsClientSettings {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env['AWS_ENDPOINT_URL'] || undefined;
  const profile = env['AWS_PROFILE'] || undefined;
  const files = { filepath: env['AWS_SHARED_CREDENTIALS_FILE'] || undefined, configFilepath: env['AWS_CONFIG_FILE'] || undefined };
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] || undefined }
      : profile !== undefined
        ? profileCredentials(profile, files)
        : undefined;
  const named = env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || undefined;
  let resolved: Promise<string> | undefined;
  const region = () => (resolved ??= named !== undefined ? Promise.resolve(named) : profileRegion(profile ?? 'default', files, service));
  return { endpoint, region, credentials, profile };
}

interface ProfileFiles {
  readonly filepath?: string;
  readonly configFilepath?: string;
}

/** The profile's credentials; a name found in neither file is a usage error naming it, as the AWS CLI's. */
function profileCredentials(profile: string, files: ProfileFiles): AwsCredentialIdentityProvider {
  const fromFiles = fromIni({ profile, ...files });
  return async (identityProperties) => {
    const { configFile, credentialsFile } = await loadSharedConfigFiles(files);
    if (configFile[profile] === undefined && credentialsFile[profile] === undefined) {
      throw new UsageError(
        `the profile "${profile}" (--profile or AWS_PROFILE) is in neither ${files.configFilepath ?? '~/.aws/config'} nor ${files.filepath ?? '~/.aws/credentials'}`,
      );
    }
    return fromFiles(identityProperties);
  };
}

async function profileRegion(profile: string, files: ProfileFiles, service: AwsService): Promise<string> {
  const { configFile } = await loadSharedConfigFiles(files);
  const fromProfile = configFile[profile]?.['region'];
  if (fromProfile) return fromProfile;
  if (service === 'S3') return S3_DEFAULT_REGION;
  throw new UsageError(`no AWS region for ${service === 'BATCH' ? 'AWS Batch' : service}: pass --region, set AWS_REGION, or give the profile a region`);
}
