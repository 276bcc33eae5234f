import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** podman as root with runc: tools/containers/ci-images.sh installs it and writes CONTAINERS_CONF. */
export const ENGINE = 'podman';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `podman ARGS`; `env` is the engine's own environment (what `--env NAME` reads from). */
export function podman(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CommandResult> {
  return run(ENGINE, args, { env });
}

export function run(program: string, args: readonly string[], options: { env?: Readonly<Record<string, string>>; cwd?: string } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 + 15 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

/** Like `podman`, but throws with podman's own message unless it exits 0. */
export async function podmanOk(args: readonly string[]): Promise<string> {
  const result = await podman(args);
  if (result.code !== 0) throw new Error(`${ENGINE} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}

export interface ImageFacts {
  readonly id: string;
  readonly size: number;
  readonly layers: readonly string[];
  readonly user: string;
  readonly entrypoint: readonly string[];
  readonly repoTags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export async function inspectImage(image: string): Promise<ImageFacts> {
  const [facts] = JSON.parse(await podmanOk(['image', 'inspect', image])) as {
    Id: string;
    Size: number;
    RootFS: { Layers: string[] };
    Config: { User?: string; Entrypoint?: string[]; Labels?: Record<string, string> };
    RepoTags: string[];
  }[];
  return {
    id: facts.Id,
    size: facts.Size,
    layers: facts.RootFS.Layers,
    user: facts.Config.User ?? '',
    entrypoint: facts.Config.Entrypoint ?? [],
    repoTags: facts.RepoTags,
    labels: facts.Config.Labels ?? {},
  };
}

/** Every path in the image's filesystem, relative to its root. */
export async function listImageFiles(image: string): Promise<string[]> {
  const mountPoint = (await podmanOk(['image', 'mount', image])).trim();
  try {
    const entries = await readdir(mountPoint, { recursive: true });
    return entries.map((entry) => relative(mountPoint, join(mountPoint, entry)));
  } finally {
    await podmanOk(['image', 'unmount', image]);
  }
}

export interface ContainerRun extends CommandResult {
  /** The user and group the runtime started the container's process as (from its OCI spec). */
  readonly uid: number;
  readonly gid: number;
}

/**
 * Runs one container of `image` to the end, as the local runner and Batch do (the image's own
 * user, a read-only root filesystem, the host network for the loopback S3 server), then reads
 * from the OCI spec podman handed to runc which uid the process really ran as, and removes it.
 */
export async function runContainer(name: string, image: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<ContainerRun> {
  const envFlags = Object.keys(env).flatMap((variable) => ['--env', variable]);
  try {
    const result = await podman(
      ['run', '--name', name, '--pull', 'never', '--network', 'host', '--read-only', '--read-only-tmpfs=false', ...envFlags, image, ...args],
      env,
    );
    const specPath = (await podmanOk(['container', 'inspect', '--format', '{{.OCIConfigPath}}', name])).trim();
    const spec = JSON.parse(await readFile(specPath, 'utf8')) as { process: { user: { uid: number; gid: number } } };
    return { ...result, uid: spec.process.user.uid, gid: spec.process.user.gid };
  } finally {
    await podman(['rm', '--force', name]);
  }
}
