import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { InputChangedError, UsageError } from '@wordbatch/errors';
import { asFolder, childPath, formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { toStageError, type ObjectStore } from '@wordbatch/s3-store';

/**
 * A run's results folder (`<destination>/<plan id>/`), in S3 or copied to a local folder:
 * what the report reads, by names relative to the folder (`result.json`, `shards/…`).
 */
export interface RunFolder {
  /** Where it is, for messages and the report's heading. */
  readonly location: string;
  /** Whether the object `name` exists. */
  has(name: string): Promise<boolean>;
  /** The names of the folders directly below this one, ending in `/`. */
  subfolders(): Promise<string[]>;
  /** The folder `name` (ending in `/`) below this one. */
  child(name: string): RunFolder;
  /** The names of the objects directly under `subfolder` (`shards/`), as `shards/shard-00000.tsv`. */
  list(subfolder: string): Promise<Set<string>>;
  /** An object's text; a missing one is exit 3, one over `maxBytes` too. */
  readText(name: string, maxBytes: number): Promise<string>;
  /** The text before the first newline (a shard result's header); the rest is not read. */
  readFirstLine(name: string, maxBytes: number): Promise<string>;
}

export function s3RunFolder(store: ObjectStore, location: S3Path, signal: AbortSignal): RunFolder {
  const folder = asFolder(location);
  const at = (name: string) => childPath(folder, name);
  return {
    location: formatS3Path(folder),
    async has(name) {
      for await (const object of store.list(at(name), signal)) if (object.key === at(name).key) return true;
      return false;
    },
    async subfolders() {
      return (await store.listFolders(folder, signal)).map((key) => key.slice(folder.key.length));
    },
    child: (name) => s3RunFolder(store, at(name), signal),
    async list(subfolder) {
      const names = new Set<string>();
      for await (const object of store.list(at(subfolder), signal)) names.add(object.key.slice(folder.key.length));
      return names;
    },
    readText: (name, maxBytes) => store.readText(at(name), { signal, maxBytes }),
    async readFirstLine(name, maxBytes) {
      const what = formatS3Path(at(name));
      const { body } = await store.open(at(name), { signal });
      try {
        return await firstLine(body, what, maxBytes);
      } catch (error) {
        throw toStageError(error, what, signal);
      } finally {
        body.destroy();
      }
    },
  };
}

export function localRunFolder(directory: string): RunFolder {
  const path = (name: string) => join(directory, ...name.split('/'));
  return {
    location: directory.endsWith(sep) ? directory : `${directory}${sep}`,
    has: async (name) => (await stat(path(name)).catch(() => undefined))?.isFile() ?? false,
    async subfolders() {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
      return entries.filter((entry) => entry.isDirectory()).map((entry) => `${entry.name}/`).sort();
    },
    child: (name) => localRunFolder(path(name)),
    async list(subfolder) {
      const entries = await readdir(path(subfolder), { withFileTypes: true }).catch(() => []);
      return new Set(entries.filter((entry) => entry.isFile()).map((entry) => `${subfolder}${entry.name}`));
    },
    async readText(name, maxBytes) {
      const info = await stat(path(name)).catch(() => undefined);
      if (!info?.isFile()) throw new InputChangedError(`${path(name)} does not exist`);
      if (info.size > maxBytes) throw new InputChangedError(`${path(name)} is larger than ${maxBytes} bytes`);
      return readFile(path(name), 'utf8');
    },
    async readFirstLine(name, maxBytes) {
      const body = createReadStream(path(name));
      try {
        return await firstLine(body, path(name), maxBytes);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputChangedError(`${path(name)} does not exist`);
        throw error;
      } finally {
        body.destroy();
      }
    },
  };
}

async function firstLine(body: Readable, what: string, maxBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const newline = chunk.indexOf(0x0a);
    const part = newline === -1 ? chunk : chunk.subarray(0, newline);
    length += part.length;
    if (length > maxBytes) throw new UsageError(`${what}: its first line is longer than ${maxBytes} bytes`);
    parts.push(part);
    if (newline !== -1) break;
  }
  return Buffer.concat(parts).toString('utf8');
}
