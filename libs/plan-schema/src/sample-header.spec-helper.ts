import type { PlanHeader } from './schemas';

export function sampleHeader(overrides: Partial<PlanHeader> = {}): PlanHeader {
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
