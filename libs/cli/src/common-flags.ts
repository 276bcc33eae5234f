import { CommandLineError } from '@wordbatch/errors';

type Env = Readonly<Record<string, string | undefined>>;

/** What the flags every program takes (see COMMON_FLAGS) asked for, and the arguments left for the program. */
export interface CommonFlags {
  readonly argv: readonly string[];
  /** The environment with --endpoint-url, --region, --profile and --quiet applied. */
  readonly env: Env;
  readonly help: boolean;
  readonly version: boolean;
  readonly quiet: boolean;
}

/**
 * The AWS CLI's flags, mapped onto the standard environment the SDK reads, so a flag and its
 * variable are one setting (the flag wins, as in the AWS CLI). --endpoint-url is the one
 * endpoint of the command, as in the AWS CLI: every service of the program uses it.
 */
const AWS_FLAG_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'endpoint-url': ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_BATCH'],
  region: ['AWS_REGION'],
  profile: ['AWS_PROFILE'],
};

/** `--NAME VALUE` or `--NAME=VALUE` for the AWS CLI's flags that take a value. */
const AWS_VALUE_FLAG = new RegExp(`^--(${Object.keys(AWS_FLAG_VARIABLES).join('|')})(?:=(.*))?$`);

/**
 * How many arguments at the start of `argv` are the AWS CLI's flags (with their values) and
 * --quiet, which may stand before the command as in `aws --profile dev s3 ls`.
 */
export function leadingAwsFlags(argv: readonly string[]): number {
  let position = 0;
  while (position < argv.length) {
    const argument = argv[position];
    const match = AWS_VALUE_FLAG.exec(argument);
    if (argument === '--quiet' || match?.[2] !== undefined) position += 1;
    else if (match && position + 1 < argv.length) position += 2;
    else break;
  }
  return position;
}

/** The credentials the SDK takes from the environment before any profile. */
const ENVIRONMENT_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** The levels pino knows; anything else in LOG_LEVEL is a usage error, not a surprise. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Takes the common flags off `argv` (they may stand anywhere) and applies them to a copy of `env`. */
export function takeCommonFlags(argv: readonly string[], env: Env): CommonFlags {
  const rest: string[] = [];
  const overrides: Record<string, string> = {};
  let help = false;
  let version = false;
  let quiet = false;
  for (let position = 0; position < argv.length; position++) {
    const argument = argv[position];
    if (argument === '--help' || argument === '-h') help = true;
    else if (argument === '--version') version = true;
    else if (argument === '--quiet') quiet = true;
    else {
      const match = AWS_VALUE_FLAG.exec(argument);
      if (!match) {
        rest.push(argument);
        continue;
      }
      const value = match[2] ?? argv[++position];
      if (value === undefined || value === '' || value.startsWith('--')) throw new CommandLineError(`--${match[1]} needs a value`);
      for (const variable of AWS_FLAG_VARIABLES[match[1]]) overrides[variable] = value;
    }
  }
  if (quiet) overrides['LOG_LEVEL'] = 'error';
  const applied: Record<string, string | undefined> = { ...env, ...overrides };
  // The AWS CLI's --profile wins over keys in the environment (AWS_PROFILE alone does not):
  // the profile's credentials are the ones used.
  if (overrides['AWS_PROFILE'] !== undefined) for (const variable of ENVIRONMENT_KEYS) delete applied[variable];
  const level = overrides['LOG_LEVEL'] ?? env['LOG_LEVEL'];
  if (level !== undefined && level !== '' && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new CommandLineError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  return { argv: rest, env: applied, help, version, quiet };
}
