import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { encodeInventoryKey, formatInventoryReport } from './inventory-report';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('formatInventoryReport', () => {
  it('writes a report as S3 does: the manifest, and gzip\u2019d data files of every field quoted, split by rows', () => {
    const report = formatInventoryReport({
      sourceBucket: 'src',
      destinationBucket: 'dest',
      prefix: 'inv/',
      rows: [
        { key: 'a "b".txt', size: 3, etag: 'e1' },
        { key: 'c d', size: 0, etag: 'e2' },
        { key: 'e', size: 7, etag: 'e3' },
      ],
      rowsPerFile: 2,
    });
    expect(report.manifestKey).toBe('inv/src/daily/2026-01-01T01-00Z/manifest.json');
    expect(report.files.map((file) => file.key)).toEqual([`inv/src/daily/data/0000-${md5(report.files[0].body).slice(0, 8)}.csv.gz`, `inv/src/daily/data/0001-${md5(report.files[1].body).slice(0, 8)}.csv.gz`]);
    expect(report.files.map((file) => gunzipSync(file.body).toString())).toEqual([
      '"src","a+%22b%22.txt","3","2026-01-01T00:00:00.000Z","e1","STANDARD"\n"src","c+d","0","2026-01-01T00:00:00.000Z","e2","STANDARD"\n',
      '"src","e","7","2026-01-01T00:00:00.000Z","e3","STANDARD"\n',
    ]);
    expect(JSON.parse(report.manifest)).toEqual({
      sourceBucket: 'src',
      destinationBucket: 'arn:aws:s3:::dest',
      version: '2016-11-30',
      creationTimestamp: '1767229200000',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, Size, LastModifiedDate, ETag, StorageClass',
      files: report.files.map((file) => ({ key: file.key, size: file.body.length, MD5checksum: md5(file.body) })),
    });
    expect(report.manifest.endsWith('}\n')).toBe(true);
  });

  it('writes version columns, delete markers without Size and ETag, leaves out columns, and no file for no rows', () => {
    const report = formatInventoryReport({
      sourceBucket: 'src',
      destinationBucket: 'dest',
      prefix: '',
      rows: [
        { key: 'k', size: 1, etag: 'e', versionId: 'v"1', isLatest: false },
        { key: 'k', size: 1, etag: 'e', isDeleteMarker: true },
        { key: 'j', size: 2, etag: 'f' },
      ],
      versioned: true,
      without: ['ETag'],
    });
    expect(JSON.parse(report.manifest).fileSchema).toBe('Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass');
    expect(report.files).toHaveLength(1);
    expect(gunzipSync(report.files[0].body).toString()).toBe(
      [
        '"src","k","v""1","false","false","1","2026-01-01T00:00:00.000Z","STANDARD"',
        '"src","k","","true","true","","2026-01-01T00:00:00.000Z","STANDARD"',
        '"src","j","","true","false","2","2026-01-01T00:00:00.000Z","STANDARD"',
        '',
      ].join('\n'),
    );
    const deleteMarkerOnly = formatInventoryReport({ sourceBucket: 'src', destinationBucket: 'dest', prefix: '', rows: [{ key: 'k', size: 5, etag: 'e', isDeleteMarker: true }] });
    expect(gunzipSync(deleteMarkerOnly.files[0].body).toString()).toBe('"src","k","","2026-01-01T00:00:00.000Z","","STANDARD"\n');
    expect(formatInventoryReport({ sourceBucket: 'src', destinationBucket: 'dest', prefix: '', rows: [] }).files).toEqual([]);
  });

  it('encodes keys as S3 Inventory does: URL-encoded, a space as +', () => {
    expect(encodeInventoryKey('a b+c/é%')).toBe('a+b%2Bc%2F%C3%A9%25');
  });
});
