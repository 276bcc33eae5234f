/** One object of a listing, as both the sequential and the fanned-out listing hand it on. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** Without the surrounding quotes S3 puts on ETags. */
  readonly etag: string;
}
