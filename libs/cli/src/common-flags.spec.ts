import { CommandLineError } from '@wordbatch/errors';
import { takeCommonFlags } from './common-flags';

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };

describe('takeCommonFlags: the AWS CLI flags as the standard environment', () => {
  it('takes them off anywhere in argv, in both spellings, leaving the rest in order', () => {
    const taken = takeCommonFlags(['--top', '5', '--region=eu-west-1', '--quiet', '--profile', 'dev', 'x'], {});
    expect(taken.argv).toEqual(['--top', '5', 'x']);
    expect(taken.env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'dev', LOG_LEVEL: 'error' });
    expect(taken.quiet).toBe(true);
  });

  it('--endpoint-url is the endpoint of every service, over the per-service variables', () => {
    const { env } = takeCommonFlags(['--endpoint-url', 'http://127.0.0.1:9'], { AWS_ENDPOINT_URL_S3: 'http://s3', AWS_ENDPOINT_URL_BATCH: 'http://batch' });
    expect(env).toMatchObject({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_BATCH: 'http://127.0.0.1:9' });
  });

  it('--profile wins over keys in the environment (they are dropped); AWS_PROFILE alone leaves them', () => {
    const flagged = takeCommonFlags(['--profile', 'dev'], { ...KEYS, AWS_PROFILE: 'other' }).env;
    expect(flagged['AWS_PROFILE']).toBe('dev');
    expect(Object.keys(flagged).filter((name) => name in KEYS)).toEqual([]);
    expect(takeCommonFlags([], { ...KEYS, AWS_PROFILE: 'other' }).env).toMatchObject(KEYS);
  });

  it('refuses a flag without its value, and a LOG_LEVEL pino does not know', () => {
    expect(() => takeCommonFlags(['--profile'], {})).toThrow(new CommandLineError('--profile needs a value'));
    expect(() => takeCommonFlags(['--region', '--quiet'], {})).toThrow('--region needs a value');
    expect(() => takeCommonFlags([], { LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"');
  });
});
