import { join } from 'node:path';
import type { StageName } from '@wordbatch/pipeline';
import type { StageLauncher } from './local-executor';

/** Runs each stage as `node <binDir>/<stage>/main.js`: the bundles the images hold. */
export function processLauncher(binDir: string, nodePath: string, baseEnv: Readonly<Record<string, string | undefined>>): StageLauncher {
  return {
    command(stage: StageName, args, env) {
      const inherited = Object.fromEntries(
        Object.entries(baseEnv).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('AWS_')),
      );
      return { argv: [nodePath, join(binDir, stage, 'main.js'), ...args], env: { ...inherited, ...env } };
    },
  };
}

/**
 * Runs each stage as its container image, as AWS Batch does: the stage's flags as the command,
 * a read-only root filesystem with nothing writable (podman would add tmpfs mounts at /tmp,
 * /var/tmp and /run unless told not to; Fargate adds none), and the host network so it reaches the
 * embedded S3 server on loopback. Variables are passed by name (the engine reads their values
 * from its own environment), so credentials stay off the command line. `--pull never`: the
 * images are the ones built here, and a missing one fails at once instead of asking a registry.
 */
export function containerLauncher(engine: string, imageTag: string, baseEnv: Readonly<Record<string, string | undefined>>): StageLauncher {
  return {
    command(stage: StageName, args, env) {
      const envFlags = Object.keys(env).flatMap((name) => ['--env', name]);
      const inherited = Object.fromEntries(
        Object.entries(baseEnv).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      return {
        argv: [
          engine, 'run', '--rm', '--pull', 'never', '--network', 'host', '--read-only',
          ...(/podman$/.test(engine) ? ['--read-only-tmpfs=false'] : []),
          ...envFlags,
          `wordbatch-${stage}:${imageTag}`,
          ...args,
        ],
        env: { ...inherited, ...env },
      };
    },
  };
}
