/**
 * S3's key order: ListObjectsV2 returns keys "in UTF-8 binary order"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), which is code
 * point order. JavaScript compares strings by UTF-16 code units, which disagrees only where
 * a surrogate (a code point above U+FFFF) meets U+E000-U+FFFF: those are moved into place
 * here, without encoding either string.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left !== right) return codePointRank(left) - codePointRank(right);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800-U+DFFF, the halves of code points above U+FFFF) rank after U+FFFF. */
function codePointRank(codeUnit: number): number {
  if (codeUnit < 0xd800) return codeUnit;
  return codeUnit <= 0xdfff ? codeUnit + 0x2000 : codeUnit - 0x800;
}
