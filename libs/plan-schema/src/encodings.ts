/**
 * The WHATWG name of an encoding label (`latin1` → `windows-1252`, `sjis` → `shift_jis`), or
 * undefined when this runtime's TextDecoder does not know it.
 */
export function canonicalEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** True for a canonical name this runtime decodes (what a plan records). */
export function isKnownEncoding(name: string): boolean {
  return canonicalEncoding(name) === name;
}
