import type { EnvironmentVariable } from '@wordbatch/command-line';

/** What every program that talks to AWS reads: the SDK's standard environment, no variables of our own. */
export const AWS_ENVIRONMENT: readonly EnvironmentVariable[] = [
  { name: 'AWS_REGION', help: 'region (or AWS_DEFAULT_REGION; --region sets it)' },
  { name: 'AWS_PROFILE', help: 'named profile (--profile sets it); else the default credentials chain' },
  { name: 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN', help: 'credentials, when not from a profile or role' },
  { name: 'AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL', help: 'an S3-compatible endpoint (path-style addressing; --endpoint-url sets the second)' },
  { name: 'AWS_MAX_ATTEMPTS', help: 'attempts per request before exit 75 (default 8)' },
];

export const LOG_ENVIRONMENT: EnvironmentVariable = {
  name: 'LOG_LEVEL',
  help: 'fatal, error, warn, info (default), debug, trace or silent; logs are JSON lines on stderr (readable on a terminal)',
};

export const STAGE_ENVIRONMENT: readonly EnvironmentVariable[] = [...AWS_ENVIRONMENT, LOG_ENVIRONMENT];
