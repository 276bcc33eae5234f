/**
 * Code-point order is the tie-break everywhere because it is also the byte order of UTF-8:
 * a result sorted this way is byte-for-byte reproducible by any tool that sorts raw bytes
 * (`LC_ALL=C sort`), which plain JS `<` (UTF-16 code-unit order) is not.
 */
export function compareCodePoints(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let index = 0; index < shared; index++) {
    const unitA = a.charCodeAt(index);
    const unitB = b.charCodeAt(index);
    if (unitA !== unitB) {
      // UTF-16 and code-point order only disagree when a surrogate (a code point above
      // U+FFFF) meets a unit in U+E000..U+FFFF; lifting surrogates above that range fixes it.
      return codePointRank(unitA) - codePointRank(unitB);
    }
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** Length in Unicode code points (a surrogate pair counts once), as users count letters. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xdc00 && unit <= 0xdfff && index > 0) {
      const previous = text.charCodeAt(index - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) length--;
    }
  }
  return length;
}
