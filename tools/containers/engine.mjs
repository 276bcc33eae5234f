// What the container scripts share: which engine to call, and what an image weighs.
import { spawnSync } from 'node:child_process';

/** The container engine command: the flag, else $CONTAINER_ENGINE, else docker. */
export function engineCommand(flag) {
  return flag || process.env['CONTAINER_ENGINE'] || 'docker';
}

/** An image's uncompressed size in bytes and its layer count, or undefined if the engine does not have it. */
export function imageFacts(engine, image) {
  const inspect = spawnSync(engine, ['image', 'inspect', '--format', '{{.Size}} {{len .RootFS.Layers}}', image], {
    encoding: 'utf8',
  });
  if (inspect.status !== 0) return undefined;
  const [size, layers] = inspect.stdout.trim().split(' ').map(Number);
  return Number.isFinite(size) && Number.isFinite(layers) ? { size, layers } : undefined;
}

export function formatMegabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
