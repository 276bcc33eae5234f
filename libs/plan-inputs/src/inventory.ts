import { UsageError } from '@wordbatch/errors';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { unquoteEtag, type ObjectStore } from '@wordbatch/s3-store';
import { z } from 'zod';
import type { NamedObject } from './input';
import { csvRecords, decodeKey } from './key-list';
import { openInputBytes } from './text-stream';

const FLAG = '--manifest';

/** A manifest.json lists data files; even a report of billions of objects has a small one. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * The parts of an S3 Inventory manifest.json that say where the report's rows are and what
 * they hold (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-location.html):
 * the data files' keys in the destination bucket (given as an ARN), their format, and the
 * columns of each row. Other fields (creationTimestamp, version, …) are not needed.
 */
const manifestSchema = z.looseObject({
  sourceBucket: z.string().min(1),
  destinationBucket: z.string().min(1),
  fileFormat: z.string().min(1),
  fileSchema: z.string().min(1),
  files: z.array(z.looseObject({ key: z.string().min(1), size: z.number().optional(), MD5checksum: z.string().optional() })),
});

export type InventoryManifest = z.infer<typeof manifestSchema>;

/** The columns wordbatch reads, as fileSchema names them. */
const COLUMNS = ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', 'Size', 'ETag'] as const;
type Column = (typeof COLUMNS)[number];

export async function readInventoryManifest(store: ObjectStore, manifest: S3Path, signal?: AbortSignal): Promise<InventoryManifest> {
  const uri = formatS3Path(manifest);
  const text = await store.readText(manifest, { signal, maxBytes: MAX_MANIFEST_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${FLAG} ${uri} is not valid JSON: not an S3 Inventory manifest.json`);
  }
  // reportInput: without it zod leaves `input` off every issue, and a field of the wrong type read as missing.
  const parsed = manifestSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${FLAG} ${uri}: field "${issue.path.join('.') || '(document)'}" ${issue.input === undefined ? 'is missing' : issue.message.toLowerCase()}: not an S3 Inventory manifest.json`);
  }
  if (parsed.data.fileFormat !== 'CSV') {
    throw new UsageError(
      `${FLAG} ${uri}: the inventory's fileFormat is ${parsed.data.fileFormat}; only CSV inventory reports are read (set the inventory configuration's output format to CSV)`,
    );
  }
  return parsed.data;
}

/**
 * The objects of an S3 Inventory report in CSV format: every row of every gzip'd data file
 * its manifest lists, in the manifest's order, read as they stream in. Columns are found
 * by the manifest's `fileSchema` (Bucket and Key required; Size, ETag, VersionId used when
 * present). Keys are URL-decoded, as S3 Inventory writes them. Delete markers, and
 * versions that are not the latest (reports that include all versions), are not objects to
 * count and are passed over. Each data file's MD5 is checked against the manifest's.
 */
export async function* readInventory(store: ObjectStore, manifestPath: S3Path, signal?: AbortSignal): AsyncGenerator<NamedObject> {
  const manifest = await readInventoryManifest(store, manifestPath, signal);
  const uri = formatS3Path(manifestPath);
  const columns = columnsOf(manifest.fileSchema, uri);
  const dataBucket = bucketOfArn(manifest.destinationBucket, uri);
  for (const file of manifest.files) {
    const path = { bucket: dataBucket, key: file.key };
    const what = `${FLAG} data file ${formatS3Path(path)}`;
    const bytes = await openInputBytes(store, path, { signal, flag: `${FLAG} data file`, md5: file.MD5checksum });
    for await (const { record, line } of csvRecords(bytes, what)) {
      const where = `${what} line ${line}`;
      if (record.length !== columns.width) {
        throw new UsageError(`${where}: has ${record.length} field(s) but the manifest's fileSchema names ${columns.width}`);
      }
      const field = (name: Column) => (columns.at[name] === undefined ? undefined : record[columns.at[name]]);
      if (field('IsDeleteMarker') === 'true' || field('IsLatest') === 'false') continue;
      const size = field('Size');
      const versionId = field('VersionId');
      yield {
        bucket: field('Bucket') as string,
        key: decodeKey(field('Key') as string, where),
        size: size === undefined || size === '' ? undefined : parseSize(size, where),
        etag: field('ETag') ? unquoteEtag(field('ETag')) : undefined,
        versionId: versionId === undefined || versionId === '' ? undefined : versionId,
        where,
      };
    }
  }
}

function columnsOf(fileSchema: string, uri: string): { width: number; at: Partial<Record<Column, number>> } {
  const names = fileSchema.split(',').map((name) => name.trim());
  const at: Partial<Record<Column, number>> = {};
  for (const column of COLUMNS) {
    const index = names.indexOf(column);
    if (index !== -1) at[column] = index;
  }
  if (at.Bucket === undefined || at.Key === undefined) {
    throw new UsageError(`${FLAG} ${uri}: fileSchema "${fileSchema}" has no Bucket and Key columns`);
  }
  return { width: names.length, at };
}

/** The bucket of `arn:aws:s3:::NAME` (how a manifest names its destination), or a plain name. */
function bucketOfArn(arn: string, uri: string): string {
  const match = /^arn:[^:]+:s3:::([^/]+)$/.exec(arn) ?? /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn);
  if (match === null) throw new UsageError(`${FLAG} ${uri}: destinationBucket "${arn}" is not an S3 bucket ARN`);
  return match[1];
}

function parseSize(text: string, where: string): number {
  const size = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(size)) throw new UsageError(`${where}: Size "${text}" is not a byte count`);
  return size;
}
