import { formatS3Path, type S3Path } from '@wordbatch/s3-path';

/**
 * What plan reads to know which objects to count: exactly one of these.
 *
 * - `prefix`: every object below a folder (`--source`), found by listing;
 * - `manifest`: an S3 Inventory report (`--manifest …/manifest.json`, CSV format);
 * - `keys`: a list of objects (`--keys …/list.csv|.jsonl|.txt[.gz]`); a `.txt` list holds bare
 *   keys relative to `source` (`--source` given alongside), the other formats name buckets.
 */
export type PlanInput =
  | { readonly kind: 'prefix'; readonly source: S3Path }
  | { readonly kind: 'manifest'; readonly manifest: S3Path }
  | { readonly kind: 'keys'; readonly list: S3Path; readonly source?: S3Path };

/** One object an inventory or key list names; size and ETag only when the input carries them. */
export interface NamedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  /** Without quotes. */
  readonly etag?: string;
  readonly versionId?: string;
  /** Where the input names it (`s3://…/list.csv line 12`), for error messages. */
  readonly where: string;
}

/** The flag an input came from, as error messages name it. */
export function inputFlag(input: PlanInput): string {
  return input.kind === 'prefix' ? '--source' : input.kind === 'manifest' ? '--manifest' : '--keys';
}

/** The input's own object, as error messages and logs name it. */
export function inputUri(input: PlanInput): string {
  return formatS3Path(input.kind === 'prefix' ? input.source : input.kind === 'manifest' ? input.manifest : input.list);
}
