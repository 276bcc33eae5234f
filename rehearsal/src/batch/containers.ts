import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ContainerProperties } from '../stack/applied-stack';

/** One attempt's container, as the Batch endpoint asks for it. */
export interface ContainerRequest {
  /** Unique per attempt: the ECS task id. */
  readonly taskId: string;
  readonly properties: ContainerProperties;
  readonly command: readonly string[];
  /** Every variable the container gets (job definition, overrides, AWS_BATCH_*, credentials). */
  readonly environment: Readonly<Record<string, string>>;
  /** Where its stdout and stderr go: the local stand-in for its CloudWatch log stream. */
  readonly logFile: string;
}

export interface RunningContainer {
  /** The exit code; 128 + signal number when a signal ended it. */
  readonly exited: Promise<number>;
  signal(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface ContainerRunner {
  start(request: ContainerRequest): RunningContainer;
}

const SIGNAL_CODES: Record<string, number> = { SIGTERM: 15, SIGKILL: 9, SIGINT: 2 };

function logStream(file: string) {
  mkdirSync(dirname(file), { recursive: true });
  return createWriteStream(file, { flags: 'a' });
}

/**
 * Runs a job definition's container with podman exactly as its containerProperties say:
 * the image as referenced (already tagged locally, never pulled), its user (else the
 * image's), a read-only root filesystem with no tmpfs added (podman adds /tmp, /var/tmp and
 * /run unless told not to; Fargate adds nothing), an init process, the VCPU and MEMORY
 * requirements as CPU and memory limits, and every name-only volume as a fresh empty
 * directory owned by root with mode 0755, which is what Fargate gives a bind mount without
 * a host path (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html).
 * The host network stands in for the task's awsvpc interface: the S3 front and nothing else
 * is what the container reaches. Values travel as `--env NAME` so no secret is on a command line.
 */
export class PodmanRunner implements ContainerRunner {
  /**
   * `platformMounts` are files the platform provides rather than the job definition (here
   * the CA that signs the S3 front's certificate, standing in for the public CAs that S3's
   * certificate chains to); they are mounted read-only.
   */
  constructor(
    private readonly platformMounts: readonly { readonly hostPath: string; readonly containerPath: string }[] = [],
    private readonly engine = 'podman',
  ) {}

  /** The podman arguments for a request (exported for the unit tests). */
  runArgs(request: ContainerRequest, volumeDirs: Readonly<Record<string, string>>): string[] {
    const properties = request.properties;
    const args = ['run', '--rm', '--name', `wordbatch-task-${request.taskId}`, '--pull', 'never', '--network', 'host'];
    if (properties.readonlyRootFilesystem) args.push('--read-only', '--read-only-tmpfs=false');
    if (properties.linuxParameters?.initProcessEnabled) args.push('--init');
    if (properties.user) args.push('--user', properties.user);
    for (const requirement of properties.resourceRequirements ?? []) {
      if (requirement.type === 'VCPU') args.push('--cpus', requirement.value);
      if (requirement.type === 'MEMORY') args.push('--memory', `${requirement.value}m`);
    }
    for (const mount of properties.mountPoints ?? []) {
      const dir = volumeDirs[mount.sourceVolume];
      if (dir === undefined) throw new Error(`mount point ${mount.containerPath} names volume ${mount.sourceVolume}, which the job definition does not define`);
      args.push('--volume', `${dir}:${mount.containerPath}${mount.readOnly ? ':ro' : ''}`);
    }
    for (const mount of this.platformMounts) args.push('--volume', `${mount.hostPath}:${mount.containerPath}:ro`);
    for (const name of Object.keys(request.environment).sort()) args.push('--env', name);
    args.push(properties.image, ...request.command);
    return args;
  }

  start(request: ContainerRequest): RunningContainer {
    const volumeDirs: Record<string, string> = {};
    for (const volume of request.properties.volumes ?? []) {
      if (volume.host?.sourcePath) throw new Error(`volume ${volume.name} has a host path, which Fargate does not offer`);
      const dir = mkdtempSync(join(tmpdir(), `wordbatch-volume-${volume.name}-`));
      chmodSync(dir, 0o755);
      volumeDirs[volume.name] = dir;
    }
    const log = logStream(request.logFile);
    const child = spawn(this.engine, this.runArgs(request, volumeDirs), {
      env: { ...process.env, ...request.environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    // Settled once the log is on disk, so that whoever reads the stream next sees all of it.
    const exited = new Promise<number>((resolve) => {
      child.on('error', (error) => log.end(`podman could not start: ${error.message}\n`, () => resolve(125)));
      child.on('close', (code, signal) => log.end(() => resolve(code ?? 128 + (SIGNAL_CODES[signal ?? ''] ?? 15))));
    });
    const name = `wordbatch-task-${request.taskId}`;
    return {
      exited,
      signal: async (signal) => {
        await new Promise<void>((resolve) => {
          const kill = spawn(this.engine, ['kill', '--signal', signal, name], { stdio: 'ignore' });
          kill.on('close', () => resolve());
          kill.on('error', () => resolve());
        });
      },
    };
  }
}

/**
 * Runs the command as a local Node process instead of a container (the image is ignored):
 * for the Batch endpoint's own tests, which check the API and the scheduling, not podman.
 */
export class NodeProcessRunner implements ContainerRunner {
  start(request: ContainerRequest): RunningContainer {
    const log = logStream(request.logFile);
    const child = spawn(process.execPath, [...request.command], { env: { PATH: process.env['PATH'] ?? '', ...request.environment }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const exited = new Promise<number>((resolve) => {
      child.on('close', (code, signal) => log.end(() => resolve(code ?? 128 + (SIGNAL_CODES[signal ?? ''] ?? 15))));
    });
    return {
      exited,
      signal: async (signal) => {
        child.kill(signal);
      },
    };
  }
}
