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

/** Runs each stage as its container image, on the host network so it reaches the embedded S3 server. */
export function containerLauncher(engine: string, imageTag: string, baseEnv: Readonly<Record<string, string | undefined>>): StageLauncher {
  return {
    command(stage: StageName, args, env) {
      const envFlags = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
      const inherited = Object.fromEntries(
        Object.entries(baseEnv).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      return {
        argv: [engine, 'run', '--rm', '--network', 'host', ...envFlags, `wordbatch-${stage}:${imageTag}`, ...args],
        env: inherited,
      };
    },
  };
}
