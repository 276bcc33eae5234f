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

  it('falls back to the digest for a name without letters', () => {
    expect(derivePlanId('___', {}, items)).toMatch(/^[0-9a-f]{16}$/);
  });
});
