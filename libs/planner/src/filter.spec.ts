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

  it('keeps a name any include matches and drops one any exclude matches', () => {
    const keep = createNameFilter(['*.txt', '*.md'], ['drafts/*', '*.tmp.md']);
    expect(['a.txt', 'b.md', 'drafts/c.log', 'd.log', 'e.tmp.md', 'drafts/f.txt'].filter(keep)).toEqual(['a.txt', 'b.md']);
  });

  it('lets * cross line feeds and ? take one whole code point', () => {
    expect(globToRegExp('a*b').test('a\nb')).toBe(true);
    expect(globToRegExp('a?b').test('a\u{1F600}b')).toBe(true);
    expect(globToRegExp('a?b').test('a\nb')).toBe(true);
    expect(globToRegExp('a?b').test('ab')).toBe(false);
  });

  it('reads a set as the AWS CLI does: a ] right after [ or [! is a member, ! negates, a backslash is literal', () => {
    expect(globToRegExp('[]a]').test(']')).toBe(true);
    expect(globToRegExp('[]a]').test('a')).toBe(true);
    expect(globToRegExp('[]a]').test('b')).toBe(false);
    expect(globToRegExp('[!a]').test('!')).toBe(true);
    expect(globToRegExp('[!a]').test('a')).toBe(false);
    expect(globToRegExp('[\\x]').test('\\')).toBe(true);
    expect(globToRegExp('[\\x]').test('y')).toBe(false);
    expect(globToRegExp('[ab]c').test('bc')).toBe(true);
    expect(globToRegExp('[ab]c').test('abc')).toBe(false);
    expect(globToRegExp('[ab]c').test('uc')).toBe(false);
    expect(globToRegExp('[axz]').test('m')).toBe(false);
    expect(globToRegExp('[!]a]').test(']')).toBe(false);
    expect(globToRegExp('[!]a]').test('b')).toBe(true);
    expect(globToRegExp('[^a]').test('^')).toBe(true);
    expect(globToRegExp('[^a]').test('b')).toBe(false);
    expect(globToRegExp('[a-c]').test('b')).toBe(true);
    expect(globToRegExp('[a-c]').test('-')).toBe(false);
    expect(globToRegExp('[-a]').test('-')).toBe(true);
    expect(globToRegExp('[a-]').test('-')).toBe(true);
    expect(globToRegExp('[a-]').test('b')).toBe(false);
    expect(globToRegExp('[\u{1F600}-\u{1F64F}]').test('\u{1F610}')).toBe(true);
    // A reversed range matches nothing (fnmatch drops it) instead of failing to compile.
    expect(globToRegExp('[z-a]').test('m')).toBe(false);
    expect(globToRegExp('[z-a]').test('')).toBe(false);
    expect(globToRegExp('[a-a]').test('a')).toBe(true);
    expect(globToRegExp('[a]x').test('ax')).toBe(true);
    expect(globToRegExp('[z-ax]').test('x')).toBe(true);
    expect(globToRegExp('[!z-a]').test('m')).toBe(true);
    expect(globToRegExp('x[').test('x[')).toBe(true);
    expect(globToRegExp('[]').test('[]')).toBe(true);
    expect(globToRegExp('[a').test('[a')).toBe(true);
  });

  it('takes the characters regular expressions treat specially literally', () => {
    for (const name of ['a.b', 'a+b', '^a$', '{1}', '(a)', 'a|b', 'a\\b', 'a]b', 'a$b']) {
      expect(globToRegExp(name).test(name)).toBe(true);
    }
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('a|b').test('a')).toBe(false);
    expect(globToRegExp('(a)').test('a')).toBe(false);
  });
});
