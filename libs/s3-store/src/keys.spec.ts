import { ExitCode, StageError } from '@wordbatch/errors';
import { assertWritableKey, decodeListedKey, decodeUrlEncodedKey, unwritableKeyProblem } from './keys';

describe('unwritableKeyProblem', () => {
  it.each(['out/p-1/shards/shard-00000.tsv', 'out/p-1/files/a..b/c.', 'out/.hidden/x', 'out/ünï/日本.txt', `a/${'x'.repeat(1022)}`])(
    'accepts %s',
    (key) => expect(unwritableKeyProblem(key)).toBeUndefined(),
  );

  it.each([
    ['', /empty/],
    ['out/p-1/files/../../../source/a.txt', /"\." or "\.\." segment/],
    ['out/p-1/files/./a.txt', /"\." or "\.\." segment/],
    ['out/p-1/files/..', /"\." or "\.\." segment/],
    ['..', /"\." or "\.\." segment/],
    [`a/${'x'.repeat(1023)}`, /1025 bytes long, over S3's 1024/],
    [`a/${'é'.repeat(512)}`, /1026 bytes long/],
    ['out/\ud800.txt', /unpaired surrogate/],
  ])('refuses %j', (key, problem) => expect(unwritableKeyProblem(key)).toMatch(problem));

  it('fails as a usage error naming the object', () => {
    let caught: unknown;
    try {
      assertWritableKey({ bucket: 'dst', key: 'out/p/files/../../x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StageError);
    expect((caught as StageError).exitCode).toBe(ExitCode.Usage);
    expect((caught as StageError).message).toMatch(/^refusing to write s3:\/\/dst\/out\/p\/files\/\.\.\/\.\.\/x: /);
  });
});

describe('decodeListedKey', () => {
  it('decodes keys of a url-encoded listing, + being a space', () => {
    expect(decodeListedKey('a/cr%0Dx%20y+z%2B%25.txt', 'url')).toBe('a/cr\rx y z+%.txt');
  });

  it('leaves keys alone when the server did not encode them', () => {
    expect(decodeListedKey('a/100%.txt+', undefined)).toBe('a/100%.txt+');
  });
});

describe('decodeUrlEncodedKey', () => {
  it('decodes keys as S3 Inventory and Batch Operations manifests encode them', () => {
    expect(decodeUrlEncodedKey('logs/a+b%2Bc%25d.txt')).toBe('logs/a b+c%d.txt');
    expect(decodeUrlEncodedKey('caf%C3%A9/%0D%0A%09%01.txt')).toBe('caf\u00e9/\r\n\t\u0001.txt');
    expect(() => decodeUrlEncodedKey('bad%zz')).toThrow(URIError);
  });
});
