import { derivePlanId } from './plan-id';

describe('derivePlanId', () => {
  const items = [{ name: 'a.txt', size: 3, etag: 'e1' }];

  it('is readable, safe and stable for the same input', () => {
    const id = derivePlanId('Plan 1.json', { source: 's3://a/' }, items);
    expect(id).toMatch(/^plan-1-json-[0-9a-f]{16}$/);
    expect(derivePlanId('Plan 1.json', { source: 's3://a/' }, items)).toBe(id);
  });

  it('changes when any object changes', () => {
    const id = derivePlanId('p1', {}, items);
    expect(derivePlanId('p1', {}, [{ ...items[0], etag: 'e2' }])).not.toBe(id);
    expect(derivePlanId('p1', { tokenizer: 'whitespace' }, items)).not.toBe(id);
    const version = derivePlanId('p1', {}, [{ ...items[0], versionId: 'v1' }]);
    expect(version).not.toBe(id);
    expect(derivePlanId('p1', {}, [{ ...items[0], versionId: 'v2' }])).not.toBe(version);
  });

  it('gives an item without a version id the digest it had before version ids existed', () => {
    // Pinned: re-planning unchanged objects must land results at the same keys as before.
    expect(derivePlanId('p1', {}, items)).toBe('p1-f3941c1d3e28ba15');
    expect(derivePlanId('p1', {}, [{ ...items[0], versionId: undefined }])).toBe('p1-f3941c1d3e28ba15');
  });

  it('falls back to the digest for a name without letters', () => {
    expect(derivePlanId('___', {}, items)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('makes the name lowercase, one hyphen for each run of other characters, none at either end, at most 60 characters', () => {
    expect(derivePlanId('  My  Plan!!.JSON__', {}, items)).toMatch(/^my-plan-json-[0-9a-f]{16}$/);
    expect(derivePlanId('a'.repeat(100), {}, items)).toMatch(new RegExp(`^${'a'.repeat(60)}-[0-9a-f]{16}$`));
  });

  it('digests every item, in order', () => {
    const two = [items[0], { name: 'b.txt', size: 4, etag: 'e2' }];
    const id = derivePlanId('p', {}, two);
    expect(derivePlanId('p', {}, [...two].reverse())).not.toBe(id);
    expect(derivePlanId('p', {}, [two[0]])).not.toBe(id);
    expect(derivePlanId('p', {}, [{ ...two[0], size: 5 }, two[1]])).not.toBe(id);
    expect(derivePlanId('p', {}, [{ ...two[0], name: 'c.txt' }, two[1]])).not.toBe(id);
  });
});
