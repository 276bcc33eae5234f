import {
  asFolder,
  childPath,
  formatS3Path,
  isWithin,
  parseS3Path,
  relativeName,
  S3PathError,
  type S3Path,
} from './s3-path';

describe('parseS3Path', () => {
  it('parses a bucket alone', () => {
    expect(parseS3Path('s3://my-bucket')).toEqual({ bucket: 'my-bucket', key: '' });
    expect(parseS3Path('s3://my-bucket/')).toEqual({ bucket: 'my-bucket', key: '' });
  });

  it('keeps a trailing slash on a prefix', () => {
    expect(parseS3Path('s3://b12/out/')).toEqual({ bucket: 'b12', key: 'out/' });
  });

  it.each([
    ['s3://bkt/my file.txt', 'my file.txt'],
    ['s3://bkt/a+b.txt', 'a+b.txt'],
    ['s3://bkt/100%25/x', '100%25/x'],
    ['s3://bkt/straße/日本語.txt', 'straße/日本語.txt'],
    ['s3://bkt/a//b', 'a//b'],
  ])('takes the key of %s literally', (uri, key) => {
    expect(parseS3Path(uri).key).toBe(key);
    expect(formatS3Path(parseS3Path(uri))).toBe(uri);
  });

  it.each([
    ['bucket/key', /not an S3 URI/],
    ['S3://bucket/key', /not an S3 URI/],
    ['https://bucket/key', /not an S3 URI/],
    ['s3://', /bucket name is empty/],
    ['s3:///key', /bucket name is empty/],
    ['s3://ab', /3 to 63/],
    ['s3://My-Bucket', /lowercase/],
    ['s3://bucket_name', /lowercase/],
    ['s3://-bucket', /lowercase/],
    ['s3://a..b', /adjacent dots/],
    ['s3://192.168.1.1', /IP address/],
    ['s3://10.0.10.10', /IP address/],
    ['s3://xn--bucket', /reserved/],
    ['s3://bucket-s3alias', /reserved/],
    ['s3://bucket--ol-s3', /reserved/],
    ['s3://bucket-', /lowercase/],
    ['s3://bucket.', /lowercase/],
    [`s3://${'a'.repeat(64)}`, /3 to 63/],
    ['s3://bucket/a\ud800b', /not valid Unicode/],
  ])('rejects %s', (uri, message) => {
    expect(() => parseS3Path(uri)).toThrow(S3PathError);
    expect(() => parseS3Path(uri)).toThrow(message);
  });

  it('accepts bucket names at the edges of the rules', () => {
    for (const bucket of ['abc', 'a'.repeat(63), 'a.b-c', '1.2.3', '1.2.3.4.5', 'a1.2.3.4', '1.2.3.4a', 'xn-a', 'axn--b', 's3alias', 'ol-s3', 'a-s3aliasb']) {
      expect(parseS3Path(`s3://${bucket}/k`)).toEqual({ bucket, key: 'k' });
    }
  });

  it('names its error class, as messages printed with String(error) show it', () => {
    expect(String(new S3PathError('x'))).toBe('S3PathError: x');
  });

  it('rejects a key over 1024 bytes', () => {
    expect(() => parseS3Path(`s3://bkt/${'é'.repeat(513)}`)).toThrow(/1024 bytes/);
    expect(parseS3Path(`s3://bkt/${'a'.repeat(1024)}`).key).toHaveLength(1024);
  });
});

describe('folders and names', () => {
  // A literal: a parseS3Path call here would run while jest collects the tests, outside any
  // test, and make every parser mutant "static" to Stryker (re-tested with the whole suite).
  const folder: S3Path = { bucket: 'bkt', key: 'a/b' };

  it('treats a prefix as a folder', () => {
    expect(asFolder(folder).key).toBe('a/b/');
    expect(asFolder(parseS3Path('s3://bkt')).key).toBe('');
    expect(asFolder(parseS3Path('s3://bkt/a/b/')).key).toBe('a/b/');
    expect(childPath(parseS3Path('s3://bkt/a/'), 'c')).toEqual({ bucket: 'bkt', key: 'a/c' });
    expect(childPath(folder, 'c d.txt')).toEqual({ bucket: 'bkt', key: 'a/b/c d.txt' });
  });

  it('removes only the leading prefix', () => {
    expect(relativeName(folder, 'a/b/a/b/x.txt')).toBe('a/b/x.txt');
    expect(() => relativeName(folder, 'z/a/b/x.txt')).toThrow(/not under/);
  });

  it('knows what lies within a folder', () => {
    expect(isWithin(parseS3Path('s3://bkt/a/b/out/'), folder)).toBe(true);
    expect(isWithin(parseS3Path('s3://bkt/a/b'), folder)).toBe(true);
    expect(isWithin(parseS3Path('s3://bkt/a/bc/'), folder)).toBe(false);
    expect(isWithin(parseS3Path('s3://other/a/b/'), folder)).toBe(false);
    expect(isWithin(folder, parseS3Path('s3://bkt'))).toBe(true);
  });
});
