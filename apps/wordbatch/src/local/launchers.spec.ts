import { containerLauncher } from './launchers';

describe('containerLauncher', () => {
  const launcher = containerLauncher('podman', 'abc1234', { PATH: '/usr/bin', UNSET: undefined });

  it('runs the stage image as Batch does, with the stage flags as its command', () => {
    const { argv } = launcher.command('migrate', ['--plan', 's3://results/plans/run.json'], { AWS_BATCH_JOB_ARRAY_INDEX: '3' });
    expect(argv.slice(0, 2)).toEqual(['podman', 'run']);
    expect(argv).toEqual(expect.arrayContaining(['--rm', '--read-only', '--read-only-tmpfs=false', '--network', 'host']));
    // Nothing writable, as on Fargate (infra/README.md).
    expect(argv).not.toContain('--tmpfs');
    expect(argv.slice(argv.indexOf('--pull'), argv.indexOf('--pull') + 2)).toEqual(['--pull', 'never']);
    expect(argv.slice(-3)).toEqual(['wordbatch-migrate:abc1234', '--plan', 's3://results/plans/run.json']);
  });

  it('names the variables on the command line and hands their values to the engine', () => {
    const { argv, env } = launcher.command('plan', [], { AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' });
    expect(argv.join(' ')).not.toContain('secret');
    expect(argv.join(' ')).toContain('--env AWS_SECRET_ACCESS_KEY --env AWS_REGION');
    expect(env).toEqual({ PATH: '/usr/bin', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' });
  });
});
