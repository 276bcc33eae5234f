import { createNameFilter, globToRegExp } from './filter';

describe('createNameFilter', () => {
  it('keeps everything without patterns', () => {
    expect(createNameFilter([], [])('any/thing.bin')).toBe(true);
  });

  it('matches like the AWS CLI: * crosses folders', () => {
    const keep = createNameFilter(['*.txt'], []);
    expect(keep('a.txt')).toBe(true);
    expect(keep('sub/dir/b.txt')).toBe(true);
    expect(keep('b.txt.gz')).toBe(false);
  });

  it('lets an exclude win over an include', () => {
    const keep = createNameFilter(['*.txt'], ['drafts/*']);
    expect(keep('final/a.txt')).toBe(true);
    expect(keep('drafts/a.txt')).toBe(false);
  });

  it('supports ? and character sets, and treats other characters literally', () => {
    expect(globToRegExp('file?.[tm]d').test('file1.md')).toBe(true);
    expect(globToRegExp('file?.[!t]d').test('file1.td')).toBe(false);
    expect(globToRegExp('a+b (1).txt').test('a+b (1).txt')).toBe(true);
    expect(globToRegExp('a.txt').test('abtxt')).toBe(false);
    expect(globToRegExp('[unclosed').test('[unclosed')).toBe(true);
  });
});
