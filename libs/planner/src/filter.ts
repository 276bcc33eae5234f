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
      // As Python's fnmatch (which the AWS CLI uses): a ] right after [ or [! is a member, not the end.
      const negated = glob[i + 1] === '!';
      const close = glob.indexOf(']', i + (negated ? 3 : 2));
      if (close === -1) {
        source += '\\[';
        continue;
      }
      source += setToRegExp(glob.slice(i + (negated ? 2 : 1), close), negated);
      i = close;
    } else source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/**
 * A set's members as a regular expression class: `a-z` is a range, every other character is
 * itself (a backslash, a ], a ^ too). A reversed range matches nothing, as in fnmatch, instead
 * of making the expression invalid.
 */
function setToRegExp(body: string, negated: boolean): string {
  const members = Array.from(body);
  let source = '';
  for (let j = 0; j < members.length; j++) {
    if (members[j + 1] === '-' && j + 2 < members.length) {
      const [low, high] = [members[j], members[j + 2]];
      if ((low.codePointAt(0) as number) <= (high.codePointAt(0) as number)) source += `${inSet(low)}-${inSet(high)}`;
      j += 2;
    } else source += inSet(members[j]);
  }
  // An empty class is valid here: `[]` matches nothing and `[^]` any character, as fnmatch's empty sets do.
  return negated ? `[^${source}]` : `[${source}]`;
}

function inSet(char: string): string {
  return /[\\\]^-]/.test(char) ? `\\${char}` : char;
}
