import { parsePlanHeader, parseShardList, parseShardResultHeader, parseShardTiming } from './parse';
import { sampleHeaderDocument } from './sample-header.spec-helper';
import { invalidTextSchema, planIdSchema, planItemSchema, planSettingsSchema, skippedFileSchema } from './schemas';

const settings = sampleHeaderDocument().settings;
const text = { encoding: 'windows-1252', strictEncoding: true, maxExpansionRatio: 0.5, maxExpandedBytes: 10 };
const item = { name: 'a', size: 1, etag: 'e' };
const list = { version: 2, kind: 'wordbatch-shard-list', planId: 'p1', shardIndex: 0, bytes: 1, items: [item] };
const timing = {
  version: 2,
  kind: 'wordbatch-shard-timing',
  planId: 'p1',
  shardIndex: 3,
  startedAt: '2026-11-30T00:00:00.000Z',
  durationMs: 1500,
  countingThreads: 0,
};
const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe('the contract schemas', () => {
  it('take plan ids of 1 to 80 lowercase letters, digits and hyphens, not starting with a hyphen', () => {
    for (const id of ['a', '0', 'p1-0123456789ab', `a${'-'.repeat(79)}`]) expect(accepts(planIdSchema, id)).toBe(true);
    for (const id of ['', '-a', 'a/', 'a.b', 'A', `a${'b'.repeat(80)}`, 'a\n']) expect(accepts(planIdSchema, id)).toBe(false);
    expect(() => parsePlanHeader(JSON.stringify({ ...sampleHeaderDocument(), id: 'P1' }))).toThrow('plan: field "id" must be lowercase letters, digits and hyphens');
  });

  it('take a plan of 1 to MAX_SHARDS shards, of either format version, with or without request counts', () => {
    expect(parsePlanHeader(JSON.stringify({ ...sampleHeaderDocument(), version: 2, shardCount: 10_000 })).shardCount).toBe(10_000);
    expect(parsePlanHeader(JSON.stringify({ ...sampleHeaderDocument(), shardCount: 1, requests: { list: 3, put: 4 } })).requests).toEqual({ list: 3, put: 4 });
    expect(() => parsePlanHeader(JSON.stringify({ ...sampleHeaderDocument(), kind: 'wordbatch-plans' }))).toThrow(/field "kind"/);
  });

  it('take the settings of either tokenizer, a shard size or none, and text settings this runtime can apply', () => {
    expect(accepts(planSettingsSchema, { ...settings, tokenizer: 'whitespace', shardBytes: 1 })).toBe(true);
    expect(accepts(planSettingsSchema, { ...settings, shardBytes: 0 })).toBe(false);
    expect(accepts(planSettingsSchema, { ...settings, text })).toBe(true);
    expect(accepts(planSettingsSchema, { ...settings, text: { ...text, maxExpansionRatio: 0 } })).toBe(false);
    expect(accepts(planSettingsSchema, { ...settings, text: { ...text, maxExpandedBytes: 1.5 } })).toBe(false);
    expect(() => parsePlanHeader(JSON.stringify({ ...sampleHeaderDocument(), settings: { ...settings, text: { ...text, encoding: 'latin1' } } }))).toThrow(
      'plan: field "settings.text.encoding" must be an encoding this runtime decodes',
    );
  });

  it('take item names and version ids with characters outside the BMP, and refuse an unpaired surrogate of either half', () => {
    expect(accepts(planItemSchema, { ...item, name: 'd/\u{1f600}.txt', versionId: 'v\u{1f600}' })).toBe(true);
    expect(() => parseShardList(JSON.stringify({ ...list, items: [{ ...item, name: 'x\udc00.txt' }] }))).toThrow(/field "items.0.name" must be valid Unicode/);
    expect(() => parseShardList(JSON.stringify({ ...list, items: [{ ...item, versionId: 'v\ud800' }] }))).toThrow('shard list: field "items.0.versionId" must be valid Unicode');
    expect(accepts(planItemSchema, { ...item, versionId: '' })).toBe(false);
    expect(accepts(planItemSchema, { ...item, etag: '' })).toBe(false);
    expect(accepts(planItemSchema, { ...item, name: '' })).toBe(false);
  });

  it("read format 1's binary reason as the reason and detail it stands for, and refuse a skipped entry that is not an object", () => {
    expect(skippedFileSchema.parse({ name: 'x.bin', reason: 'binary (contains a NUL byte)' })).toEqual({ name: 'x.bin', reason: 'binary', detail: 'contains a NUL byte' });
    expect(skippedFileSchema.parse({ name: 'y.bin', reason: 'binary', detail: 'found late' })).toEqual({ name: 'y.bin', reason: 'binary', detail: 'found late' });
    expect(accepts(skippedFileSchema, null)).toBe(false);
    expect(accepts(skippedFileSchema, 'binary (contains a NUL byte)')).toBe(false);
    expect(parseShardList(JSON.stringify({ ...list, skipped: [{ name: 'gone', reason: 'missing' }] })).skipped).toEqual([{ name: 'gone', reason: 'missing' }]);
  });

  it('count invalid text from one sequence up, and read it in a shard result', () => {
    expect([1, 2].map((invalidSequences) => accepts(invalidTextSchema, { name: 'a', invalidSequences }))).toEqual([true, true]);
    expect(accepts(invalidTextSchema, { name: 'a', invalidSequences: 0 })).toBe(false);
    const stats = { files: 1, bytes: 2, words: 3, distinctWords: 2, skipped: [], invalidText: [{ name: 'a', invalidSequences: 2 }] };
    const header = { version: 2, kind: 'wordbatch-shard-result', planId: 'p1', shardIndex: 0, tokenizer: 'unicode', stats };
    expect(parseShardResultHeader(JSON.stringify(header)).stats.invalidText).toEqual(stats.invalidText);
  });

  it('take a shard timing of the current format only, with or without request counts', () => {
    const requests = { list: 0, get: 5, put: 1 };
    expect(parseShardTiming(JSON.stringify({ ...timing, requests })).requests).toEqual(requests);
    expect(() => parseShardTiming(JSON.stringify({ ...timing, version: 1 }))).toThrow(/field "version"/);
  });
});
