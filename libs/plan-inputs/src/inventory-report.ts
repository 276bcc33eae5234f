import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One row of an inventory report: an object, or a version or delete marker of a versioned bucket. */
export interface InventoryRow {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly versionId?: string;
  readonly isLatest?: boolean;
  readonly isDeleteMarker?: boolean;
}

export interface InventoryReport {
  /** Where manifest.json goes in the destination bucket, and its text. */
  readonly manifestKey: string;
  readonly manifest: string;
  /** The gzip'd CSV data files, at their keys in the destination bucket. */
  readonly files: ReadonlyArray<{ readonly key: string; readonly body: Buffer }>;
}

/**
 * An S3 Inventory report in CSV format, laid out and encoded as S3 writes one
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-location.html):
 * `PREFIX/SOURCE/CONFIG/YYYY-MM-DDTHH-MMZ/manifest.json` naming gzip'd data files under
 * `PREFIX/SOURCE/CONFIG/data/`, each row every field quoted, keys URL-encoded (space as `+`),
 * no header row, the columns in the order the manifest's fileSchema gives. For the tests
 * and the benchmark: S3 cannot be asked for a report here.
 */
export function formatInventoryReport(options: {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly prefix: string;
  readonly rows: Iterable<InventoryRow>;
  /** Rows per data file (S3 splits a report into files of its own choosing). */
  readonly rowsPerFile?: number;
  /** With version columns, as for a report of all versions of a versioned bucket. */
  readonly versioned?: boolean;
  /** Leave these columns out (an inventory configured without them). */
  readonly without?: ReadonlyArray<'Size' | 'ETag'>;
}): InventoryReport {
  const folder = `${options.prefix}${options.sourceBucket}/daily`;
  const columns = ['Bucket', 'Key', ...(options.versioned ? ['VersionId', 'IsLatest', 'IsDeleteMarker'] : []), 'Size', 'LastModifiedDate', 'ETag', 'StorageClass'].filter(
    (column) => !(options.without ?? []).includes(column as 'Size' | 'ETag'),
  );
  const rowsPerFile = options.rowsPerFile ?? 100_000;
  const files: Array<{ key: string; body: Buffer }> = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const body = gzipSync(lines.join(''));
    files.push({ key: `${folder}/data/${String(files.length).padStart(4, '0')}-${createHash('md5').update(body).digest('hex').slice(0, 8)}.csv.gz`, body });
    lines = [];
  };
  for (const row of options.rows) {
    const values: Record<string, string> = {
      Bucket: options.sourceBucket,
      Key: encodeInventoryKey(row.key),
      VersionId: row.versionId ?? '',
      IsLatest: String(row.isLatest ?? true),
      IsDeleteMarker: String(row.isDeleteMarker ?? false),
      Size: row.isDeleteMarker ? '' : String(row.size),
      LastModifiedDate: '2026-01-01T00:00:00.000Z',
      ETag: row.isDeleteMarker ? '' : row.etag,
      StorageClass: 'STANDARD',
    };
    lines.push(`${columns.map((column) => `"${values[column].replace(/"/g, '""')}"`).join(',')}\n`);
    if (lines.length >= rowsPerFile) flush();
  }
  flush();
  const manifest = {
    sourceBucket: options.sourceBucket,
    destinationBucket: `arn:aws:s3:::${options.destinationBucket}`,
    version: '2016-11-30',
    creationTimestamp: '1767229200000',
    fileFormat: 'CSV',
    fileSchema: columns.join(', '),
    files: files.map((file) => ({ key: file.key, size: file.body.length, MD5checksum: createHash('md5').update(file.body).digest('hex') })),
  };
  return { manifestKey: `${folder}/2026-01-01T01-00Z/manifest.json`, manifest: `${JSON.stringify(manifest, null, 2)}\n`, files };
}

/** A key as S3 Inventory writes it: URL-encoded, a space as `+`. */
export function encodeInventoryKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+');
}
