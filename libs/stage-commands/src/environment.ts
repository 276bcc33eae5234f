import type { EnvironmentVariable } from '@wordbatch/command-line';

/** What every program that talks to AWS reads: the SDK's standard environment, no variables of our own. */
export const AWS_ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'AWS_REGION', help: 'region (or AWS_DEFAULT_REGION; --region sets it); else the profile\'s region; S3 alone defaults to us-east-1' },
  { name: 'AWS_PROFILE', help: 'named profile (--profile sets it, and then wins over the keys below, as in the AWS CLI); else the default credentials chain' },
  { name: 'AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE', help: 'where profiles are read (default ~/.aws/config, ~/.aws/credentials)' },
  { name: 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN', help: 'credentials, when not from a profile or role' },
  {
    name: 'AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_BATCH, AWS_ENDPOINT_URL',
    help: 'one service\'s endpoint, else every service\'s (S3 with path-style addressing); --endpoint-url sets all three',
  },
  { name: 'AWS_MAX_ATTEMPTS', help: 'attempts per request before exit 75 (default 8)' },
];

export const LOG_ENVIRONMENT: EnvironmentVariable = {
  name: 'LOG_LEVEL',
  help: 'fatal, error, warn, info (default), debug, trace or silent; logs are JSON lines on stderr (readable on a terminal)',
};

export const STAGE_ENVIRONMENT: readonly EnvironmentVariable[] = [...AWS_ENVIRONMENT, LOG_ENVIRONMENT];
