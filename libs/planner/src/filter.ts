/**
 * `--include` / `--exclude` patterns, matched against an object's name relative to the
 * source folder, with the AWS CLI's rules: `*` matches any run of characters including `/`,
 * `?` matches one character, `[abc]` one of a set; everything else is literal.
 * An object is kept when it matches some include (or none are given) and no exclude.
 */
export function createNameFilter(include: readonly string[], exclude: readonly string[]): (name: string) => boolean {
  const includes = include.map(globToRegExp);
  const excludes = exclude.map(globToRegExp);
  return (name) =>
    (includes.length === 0 || includes.some((pattern) => pattern.test(name))) &&
    !excludes.some((pattern) => pattern.test(name));
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      source += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
      i = close;
    } else source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}
