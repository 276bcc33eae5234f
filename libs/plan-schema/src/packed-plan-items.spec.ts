import { PackedPlanItems, PlanItemPacker } from './packed-plan-items';
import type { PlanItem } from './schemas';

function itemsNamed(count: number): PlanItem[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `${'d\u00e9j\u00e0/'.repeat(index % 7)}part-${index}.txt`,
    size: index * 1000,
    etag: index % 5 === 0 ? `${index.toString(16)}-2` : index.toString(16).padStart(32, '0'),
  }));
}

describe('PackedPlanItems', () => {
  it('gives back every item as it was added, in order, past every growth of its arrays', () => {
    const items = itemsNamed(5000);
    const packed = PackedPlanItems.from(items);
    expect(packed).toHaveLength(5000);
    expect([...packed]).toEqual(items);
    expect(packed.at(0)).toEqual(items[0]);
    expect(packed.at(4999)).toEqual(items[4999]);
  });

  it('keeps names outside the Basic Multilingual Plane and empty ETags', () => {
    const items = [
      { name: '\u{1f600}', size: 1, etag: '' },
      { name: 'a', size: 0, etag: '\u00ff' },
    ];
    expect([...PackedPlanItems.from(items)]).toEqual(items);
  });

  it('keeps an ETag with an unpaired surrogate exactly', () => {
    const items = [
      { name: 'a', size: 1, etag: '\ud800' },
      { name: 'b', size: 2, etag: 'ok' },
      { name: 'c', size: 3, etag: 'z\udfff' },
    ];
    expect([...PackedPlanItems.from(items)]).toEqual(items);
  });

  it('keeps version ids, and items without one have none (not an empty one)', () => {
    const items: PlanItem[] = [
      { name: 'a', size: 1, etag: 'e1', versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nrjfkd' },
      { name: 'b', size: 2, etag: 'e2' },
      { name: 'c', size: 3, etag: '\ud800', versionId: 'null' },
      { name: 'd', size: 4, etag: '' },
    ];
    const unpacked = [...PackedPlanItems.from(items)];
    expect(unpacked).toEqual(items);
    expect('versionId' in unpacked[1]).toBe(false);
  });

  it('refuses an index outside the list', () => {
    const packed = PackedPlanItems.from(itemsNamed(2));
    expect(() => packed.at(2)).toThrow(RangeError);
    expect(() => packed.at(-1)).toThrow(RangeError);
    expect(() => packed.at(0.5)).toThrow(RangeError);
    expect(() => packed.at(2)).toThrow('item 2 of 2');
  });

  it('keeps ETags that are almost an MD5 (31 or 33 hex digits, a letter past f, 32 that are not hex) as written', () => {
    const md5 = '0123456789abcdef0123456789abcdef';
    const items = [md5.slice(1), `${md5}0`, `0${md5}`, `${md5.slice(1)}g`, 'z'.repeat(32), md5].map((etag, index) => ({ name: `n${index}`, size: index, etag }));
    expect([...PackedPlanItems.from(items)]).toEqual(items);
  });

  it('keeps a name longer than twice its text buffer', () => {
    const items = [
      { name: 'a', size: 1, etag: 'e' },
      { name: `${'n'.repeat(10_000)}\u00e9`, size: 2, etag: 'f' },
      { name: 'b', size: 3, etag: 'g' },
    ];
    expect([...PackedPlanItems.from(items)]).toEqual(items);
  });

  it('keeps characters outside the Basic Multilingual Plane in ETags and version ids; refuses a version id with an unpaired surrogate', () => {
    const items: PlanItem[] = [{ name: 'a', size: 1, etag: 'e\u{1f600}', versionId: 'v\u{1f600}' }];
    expect([...PackedPlanItems.from(items)]).toEqual(items);
    expect(() => PackedPlanItems.from([{ name: 'b', size: 1, etag: 'e', versionId: 'v\udc00' }])).toThrow('version id of b is not valid Unicode');
    expect(() => PackedPlanItems.from([{ name: 'c', size: 1, etag: 'e', versionId: '\ud800v' }])).toThrow(RangeError);
  });

  it('is empty when nothing was added', () => {
    const packed = new PlanItemPacker().finish();
    expect(packed).toHaveLength(0);
    expect([...packed]).toEqual([]);
  });
});

describe('PackedPlanItems past one block', () => {
  it('keeps every item, its size total and MD5 ETags as bytes, across blocks of 65,536', () => {
    const packer = new PlanItemPacker();
    const count = 150_000;
    let bytes = 0;
    for (let index = 0; index < count; index++) {
      const etag = index % 3 === 0 ? `${index.toString(16)}-3` : index.toString(16).padStart(32, 'a');
      packer.addItem(`f/${index}`, index * 3, etag);
      bytes += index * 3;
    }
    const packed = packer.finish();
    expect(packed).toHaveLength(count);
    expect(packed.totalBytes).toBe(bytes);
    for (const index of [0, 1, 65_535, 65_536, 65_537, 131_072, count - 1]) {
      expect(packed.at(index)).toEqual({
        name: `f/${index}`,
        size: index * 3,
        etag: index % 3 === 0 ? `${index.toString(16)}-3` : index.toString(16).padStart(32, 'a'),
      });
    }
    expect(packed.nameAt(70_000)).toBe('f/70000');
    expect(packed.sizeAt(70_000)).toBe(210_000);
  });

  it('keeps an upper-case hex ETag as written', () => {
    const items = [{ name: 'a', size: 1, etag: 'ABCDEF0123456789ABCDEF0123456789' }];
    expect([...PackedPlanItems.from(items)]).toEqual(items);
  });
});
