/** One object of a listing, as both the sequential and the fanned-out listing hand it on. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** Without the surrounding quotes S3 puts on ETags. */
  readonly etag: string;
}

/** An ETag as S3 sends it (quoted, maybe weak) without the quotes and the weak marker. */
export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}
