import { planHeaderSchema, type PlanHeader, type PlanHeaderDocument } from './schemas';

/** A valid header document, with `overrides` applied (URIs as `s3://` strings). */
export function sampleHeaderDocument(overrides: Partial<PlanHeaderDocument> = {}): PlanHeaderDocument {
  return {
    version: 1,
    kind: 'wordbatch-plan',
    id: 'p1-0123456789ab',
    createdAt: '2026-11-29T10:00:00.000Z',
    source: 's3://src-bucket/docs/',
    destination: 's3://dst-bucket/out/',
    shardLists: 's3://dst-bucket/plans/p1/',
    settings: { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null },
    shardCount: 2,
    totals: { files: 3, bytes: 1200 },
    ...overrides,
  };
}

/** The same header as read. */
export function sampleHeader(overrides: Partial<PlanHeaderDocument> = {}): PlanHeader {
  return planHeaderSchema.parse(sampleHeaderDocument(overrides));
}
