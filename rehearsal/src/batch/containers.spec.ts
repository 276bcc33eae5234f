import { readFileSync, readdirSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodmanRunner, type ContainerRequest } from './containers';

// The podman command line a job definition becomes, read back from an engine that only
// echoes its arguments (the rehearsal runs the real podman).

const request = (logFile: string): ContainerRequest => ({
  taskId: '0123456789abcdef0123456789abcdef',
  properties: {
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/wordbatch-migrate:latest',
    user: '65532:65532',
    readonlyRootFilesystem: true,
    linuxParameters: { initProcessEnabled: true },
    resourceRequirements: [
      { type: 'VCPU', value: '2' },
      { type: 'MEMORY', value: '4096' },
    ],
    // The scratch volume the stack used to have: a bind mount without a host path.
    volumes: [{ name: 'scratch' }],
    mountPoints: [{ sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false }],
  },
  command: ['--plan', 's3://dst/plans/p.json'],
  environment: { AWS_BATCH_JOB_ARRAY_INDEX: '1', AWS_SECRET_ACCESS_KEY: 'secret' },
  logFile,
});

describe('PodmanRunner', () => {
  it('runs the container as its job definition says, a name-only volume as an empty root-owned 0755 directory', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'wordbatch-runner-')), 'stream');
    const running = new PodmanRunner([{ hostPath: '/etc/hostname', containerPath: '/etc/rehearsal/ca.pem' }], 'echo').start(request(logFile));
    expect(await running.exited).toBe(0);
    const args = readFileSync(logFile, 'utf8').trim().split(' ');
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(args.slice(0, 3)).toEqual(['run', '--rm', '--name']);
    expect(args).toEqual(expect.arrayContaining(['--read-only', '--read-only-tmpfs=false', '--init', '--pull', 'never']));
    expect([after('--user'), after('--cpus'), after('--memory')]).toEqual(['65532:65532', '2', '4096m']);
    const volumes = args.flatMap((arg, index) => (args[index - 1] === '--volume' ? [arg] : []));
    expect(volumes[1]).toBe('/etc/hostname:/etc/rehearsal/ca.pem:ro');
    const [scratchDir, containerPath] = volumes[0].split(':');
    expect(containerPath).toBe('/tmp');
    const scratch = statSync(scratchDir);
    expect({ uid: scratch.uid, mode: (scratch.mode & 0o777).toString(8), entries: readdirSync(scratchDir) }).toEqual({ uid: 0, mode: '755', entries: [] });
    // Values by name only: no secret on the command line.
    expect(args.join(' ')).not.toContain('secret');
    expect(args.slice(-3)).toEqual([request(logFile).properties.image, '--plan', 's3://dst/plans/p.json']);
  });

  it('refuses a volume with a host path, which Fargate does not offer', () => {
    const withHost = request('/dev/null');
    expect(() =>
      new PodmanRunner([], 'echo').start({ ...withHost, properties: { ...withHost.properties, volumes: [{ name: 'scratch', host: { sourcePath: '/data' } }] } }),
    ).toThrow(/host path/);
  });
});
