import fc from 'fast-check';
import { PLAN_VERSION } from './limits';
import { parseShardList } from './parse';
import { shardListChunks } from './shard-list-text';
import { SKIP_REASONS } from './skip-reasons';

describe('shardListChunks', () => {
  it('writes what JSON.stringify writes, and parseShardList reads it back', () => {
    const item = fc.record({
      name: fc.string({ unit: 'grapheme', minLength: 1 }),
      size: fc.integer({ min: 0, max: 5 * 2 ** 40 }),
      etag: fc.string({ minLength: 1 }),
      versionId: fc.option(fc.stringMatching(/^[A-Za-z0-9._+]{1,20}$/), { nil: undefined }),
    }, { requiredKeys: ['name', 'size', 'etag'] });
    const skipped = fc.option(fc.array(fc.record({ name: fc.string(), reason: fc.constantFrom(...SKIP_REASONS) }), { maxLength: 3 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), fc.integer({ min: 0, max: 9999 }), skipped, (items, shardIndex, skippedFiles) => {
        const list = { version: PLAN_VERSION as typeof PLAN_VERSION, kind: 'wordbatch-shard-list' as const, planId: 'p-1', shardIndex, bytes: 7 };
        const text = [...shardListChunks(skippedFiles === undefined ? list : { ...list, skipped: skippedFiles }, items)].join('');
        expect(text).toBe(JSON.stringify(skippedFiles === undefined ? { ...list, items } : { ...list, items, skipped: skippedFiles }));
        expect(parseShardList(text).items).toEqual(items);
      }),
    );
  });

  it('writes a short list as one chunk', () => {
    const items = [{ name: 'a.txt', size: 1, etag: 'e' }, { name: 'b.txt', size: 2, etag: 'f' }];
    const chunks = [...shardListChunks({ version: PLAN_VERSION, kind: 'wordbatch-shard-list', planId: 'p', shardIndex: 0, bytes: 3 }, items)];
    expect(chunks).toEqual([JSON.stringify({ version: PLAN_VERSION, kind: 'wordbatch-shard-list', planId: 'p', shardIndex: 0, bytes: 3, items })]);
  });

  it('cuts a long list into chunks', () => {
    const items = Array.from({ length: 20_000 }, (_, index) => ({ name: `folder/file-${index}.txt`, size: index, etag: 'e'.repeat(32) }));
    const chunks = [...shardListChunks({ version: PLAN_VERSION, kind: 'wordbatch-shard-list', planId: 'p', shardIndex: 0, bytes: 1 }, items)];
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(JSON.stringify({ version: PLAN_VERSION, kind: 'wordbatch-shard-list', planId: 'p', shardIndex: 0, bytes: 1, items }));
  });
});
