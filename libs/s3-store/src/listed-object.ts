/** One object of a listing, as both the sequential and the fanned-out listing hand it on. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** Without the surrounding quotes S3 puts on ETags. */
  readonly etag: string;
}

/** An ETag as S3 sends it (quoted, maybe weak) without the quotes and the weak marker. */
export function unquoteEtag(etag: string | undefined): string {
  // The common case (a strong ETag in quotes) without the two expressions: one per listed object.
  if (etag !== undefined && etag.length >= 2 && etag.charCodeAt(0) === 0x22 && etag.charCodeAt(etag.length - 1) === 0x22) return etag.slice(1, -1);
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}
