import { CountTable, hashBytes } from './count-table';

const encoder = new TextEncoder();

function addText(table: CountTable, text: string, count = 1): void {
  const bytes = encoder.encode(text);
  table.add(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length), count);
}

function hashOf(text: string): number {
  const bytes = encoder.encode(text);
  return hashBytes(bytes, 0, bytes.length);
}

function countOf(table: CountTable, text: string): number {
  const bytes = encoder.encode(text);
  const entry = table.find(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length));
  return entry < 0 ? 0 : table.countAt(entry);
}

describe('CountTable', () => {
  it('counts keys, including the empty key and keys that share a hash slot', () => {
    const table = new CountTable();
    for (const text of ['a', 'b', 'a', '', 'é', 'a']) addText(table, text);
    expect([countOf(table, 'a'), countOf(table, 'b'), countOf(table, ''), countOf(table, 'é'), countOf(table, 'z')]).toEqual([
      3, 1, 1, 1, 0,
    ]);
    expect([table.size, table.total]).toEqual([4, 6]);
  });

  it('hashes with FNV-1a: its published values, as signed 32-bit integers', () => {
    expect([hashOf(''), hashOf('a'), hashOf('foobar')]).toEqual([0x811c9dc5 | 0, 0xe40c292c | 0, 0xbf9cf968 | 0]);
    // Only the bytes in [start, end) count.
    expect(hashBytes(encoder.encode('xfoobarx'), 1, 7)).toBe(hashOf('foobar'));
  });

  it('tells apart keys whose hashes are equal, of one length or not', () => {
    // Two 9-byte words on which FNV-1a collides: only their bytes tell them apart.
    expect(hashOf('declinate')).toBe(hashOf('macallums'));
    const table = new CountTable();
    addText(table, 'declinate', 2);
    expect(countOf(table, 'macallums')).toBe(0);
    addText(table, 'macallums', 3);
    addText(table, 'declinate', 4);
    expect([countOf(table, 'declinate'), countOf(table, 'macallums'), table.size]).toEqual([6, 3, 2]);
    // And a collision of a 10-byte and a 6-byte word: the lengths differ, the words too.
    expect(hashOf('costarring')).toBe(hashOf('liquid'));
    addText(table, 'costarring');
    expect(countOf(table, 'liquid')).toBe(0);
    addText(table, 'liquid', 2);
    expect([countOf(table, 'costarring'), countOf(table, 'liquid'), table.size]).toEqual([1, 2, 4]);
  });

  it('tells apart a key and a longer key that starts with it, on which FNV-1a collides', () => {
    // `ab` then these 4 bytes brings FNV-1a back to the hash of `ab` (found by trying every
    // 4 bytes): comparing only the shorter key's bytes would take one for the other.
    const short = encoder.encode('ab');
    const long = Uint8Array.of(...short, 122, 145, 228, 155);
    const hashOfBytes = (bytes: Uint8Array) => hashBytes(bytes, 0, bytes.length);
    expect(hashOfBytes(long)).toBe(hashOfBytes(short));
    for (const [first, second] of [
      [long, short],
      [short, long],
    ]) {
      const table = new CountTable();
      table.add(first, 0, first.length, hashOfBytes(first), 2);
      expect(table.find(second, 0, second.length, hashOfBytes(second))).toBe(-1);
      table.add(second, 0, second.length, hashOfBytes(second), 3);
      expect([table.size, table.countAt(0), table.countAt(1)]).toEqual([2, 2, 3]);
    }
  });

  it('holds key bytes up to its limit and refuses the first byte past it', () => {
    // The limit is 10 bytes past the first arena's 8 KiB: 819 keys of 10 bytes and one of 2
    // fill that arena exactly, so the next key of 10 grows it to exactly the limit, and one
    // byte more is an error that names the limit.
    const table = new CountTable(8_192 + 10);
    const key = (index: number) => `k${String(index).padStart(9, '0')}`;
    for (let index = 0; index < 819; index++) addText(table, key(index));
    addText(table, 'ab');
    addText(table, key(819));
    expect([table.size, table.keyAsString(819), table.keyAsString(820)]).toEqual([821, 'ab', 'k000000819']);
    expect(() => addText(table, 'x')).toThrow(new RangeError('more than 8202 bytes of distinct words in one table'));
    expect([table.size, countOf(table, 'k000000000'), countOf(table, 'ab')]).toEqual([821, 1, 1]);
  });

  it('reads keys from any offset of the given bytes', () => {
    const table = new CountTable();
    const bytes = encoder.encode('xxabcxx');
    table.add(bytes, 2, 3, hashBytes(bytes, 2, 5), 7);
    expect(countOf(table, 'abc')).toBe(7);
    expect(table.keyAsString(0)).toBe('abc');
  });

  it('keeps every key and count through growth of slots, entries and arena', () => {
    const table = new CountTable();
    const long = 'ω'.repeat(20_000);
    for (let index = 0; index < 100_000; index++) addText(table, `k${index}`, index + 1);
    addText(table, long, 5);
    addText(table, long, 5);
    expect(table.size).toBe(100_001);
    expect(countOf(table, 'k0')).toBe(1);
    expect(countOf(table, 'k99999')).toBe(100_000);
    expect(countOf(table, long)).toBe(10);
    expect(table.keyAsString(table.size - 1)).toBe(long);
  });

  it('adds a batch exactly like one add per key, with or without prefetching', () => {
    for (const distinct of [100, 50_000]) {
      const table = new CountTable();
      for (let index = 0; index < distinct; index++) addText(table, `w${index}`);
      const bytes = encoder.encode('w7 w7 new w0');
      const starts = Int32Array.of(0, 3, 6, 10);
      const lengths = Int32Array.of(2, 2, 3, 2);
      const hashes = starts.map((start, index) => hashBytes(bytes, start, start + lengths[index]));
      table.addBatch(bytes, starts, lengths, hashes, Float64Array.of(1, 2, 3, 4), 4);
      expect([countOf(table, 'w7'), countOf(table, 'new'), countOf(table, 'w0'), table.size]).toEqual([
        4,
        3,
        5,
        distinct + 1,
      ]);
      expect(table.total).toBe(distinct + 10);
    }
  });
});
