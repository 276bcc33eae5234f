/**
 * Open-addressing hash table from byte strings to counts: the storage behind both the
 * streaming counters and WordCounts. Keys live back to back in one growable byte arena and
 * counts in a typed array, so counting a token or merging a line creates no JS object;
 * strings are made only when someone asks for a word.
 */

/** FNV-1a: cheap enough to compute byte by byte while a scanner copies a word. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index], FNV_PRIME);
  return hash;
}

const INITIAL_SLOTS = 1 << 10;
const INITIAL_ARENA_BYTES = 1 << 13;
/** Below this many entries the table is in cache and prefetching would only cost time. */
const PREFETCH_ABOVE_ENTRIES = 1 << 15;
const REHASH_BATCH = 64;
const MAX_ARENA_BYTES = 2 ** 31 - 1;

/**
 * Large vocabularies (millions of words) are the merge stage's normal case, and there a
 * lookup costs what its cache misses cost. Slots hold the hash next to the entry index,
 * so a probe past another key reads nothing else; a hit then reads the key's bounds, its
 * bytes and its count. addBatch() overlaps those misses across lines.
 */
export class CountTable {
  /** Pairs of (hash, entry index + 1) per slot; an entry of 0 marks an empty slot. */
  private slots = new Int32Array(INITIAL_SLOTS * 2);
  /** (arena offset, length) of each entry's key, interleaved: a hit reads both. */
  private keys = new Int32Array(INITIAL_SLOTS);
  /** Float64 because one word may occur more than 2^31 times in a large corpus. */
  private counts = new Float64Array(INITIAL_SLOTS / 2);
  /** Per entry too, for rehashing and merging without reading the slots. */
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private arena = new Uint8Array(INITIAL_ARENA_BYTES);
  /** A Buffer over the same memory, for Node's fast latin1/utf8 string decoding. */
  private arenaView = Buffer.from(this.arena.buffer);
  private arenaLength = 0;
  private distinct = 0;
  private sum = 0;
  /** Written by prefetch() so that its loads have a use; never meaningful. */
  prefetchSink = 0;

  /**
   * @param maxArenaBytes the most key bytes the table holds: Int32 offsets allow no more than
   * the default; a test gives a small limit to prove that the table refuses to pass it.
   */
  constructor(private readonly maxArenaBytes = MAX_ARENA_BYTES) {}

  /** Number of distinct keys; entries are numbered 0..size-1 in insertion order. */
  get size(): number {
    return this.distinct;
  }

  /** Sum of all counts. */
  get total(): number {
    return this.sum;
  }

  /** Adds `count` to the key `key[start, start + length)`, whose hashBytes() is `hash`. */
  add(key: Uint8Array, start: number, length: number, hash: number, count: number): void {
    this.sum += count;
    const slot = this.findSlot(key, start, length, hash);
    const entry = this.slots[slot + 1] - 1;
    if (entry >= 0) this.counts[entry] += count;
    else this.insert(slot, key, start, length, hash, count);
  }

  /**
   * Adds `count` to each of `size` keys, given as parallel arrays. With millions of words
   * each lookup is a chain of cache misses (slot, key bounds and count, key bytes). Touching the slots of
   * the whole batch first, then their key bounds and counts, then their key bytes, issues independent loads
   * that the CPU overlaps, before the adds themselves run from cache.
   */
  addBatch(
    bytes: Uint8Array,
    starts: Int32Array,
    lengths: Int32Array,
    hashes: Int32Array,
    counts: Float64Array,
    size: number,
  ): void {
    if (this.distinct > PREFETCH_ABOVE_ENTRIES) this.prefetch(hashes, size);
    for (let index = 0; index < size; index++) {
      this.add(bytes, starts[index], lengths[index], hashes[index], counts[index]);
    }
  }

  /** The entry holding the key, or -1. */
  find(key: Uint8Array, start: number, length: number, hash: number): number {
    return this.slots[this.findSlot(key, start, length, hash) + 1] - 1;
  }

  countAt(entry: number): number {
    return this.counts[entry];
  }

  hashAt(entry: number): number {
    return this.hashes[entry];
  }

  keyStart(entry: number): number {
    return this.keys[entry * 2];
  }

  keyEnd(entry: number): number {
    return this.keys[entry * 2] + this.keys[entry * 2 + 1];
  }

  /** The arena holding every key; only valid until the next insertion. */
  get keyBytes(): Uint8Array {
    return this.arena;
  }

  isAsciiKey(entry: number): boolean {
    const arena = this.arena;
    const end = this.keyEnd(entry);
    for (let index = this.keyStart(entry); index < end; index++) {
      if (arena[index] >= 0x80) return false;
    }
    return true;
  }

  /** The key as a string, for keys known to be valid UTF-8. */
  keyAsString(entry: number): string {
    return this.arenaView.toString(this.isAsciiKey(entry) ? 'latin1' : 'utf8', this.keyStart(entry), this.keyEnd(entry));
  }

  private prefetch(hashes: Int32Array, size: number): void {
    const slots = this.slots;
    const mask = slots.length - 2;
    let touched = 0;
    for (let index = 0; index < size; index++) touched ^= slots[((mix(hashes[index]) << 1) & mask) + 1];
    const keys = this.keys;
    const counts = this.counts;
    for (let index = 0; index < size; index++) {
      const entry = slots[((mix(hashes[index]) << 1) & mask) + 1] - 1;
      if (entry >= 0) touched ^= keys[entry * 2] ^ counts[entry];
    }
    const arena = this.arena;
    for (let index = 0; index < size; index++) {
      const entry = slots[((mix(hashes[index]) << 1) & mask) + 1] - 1;
      if (entry >= 0) touched ^= arena[keys[entry * 2]];
    }
    // Stored so that the compiler cannot drop the loads as unused.
    this.prefetchSink = touched;
  }

  /** The slot (index of its hash) holding the key, or the empty slot where it belongs. */
  private findSlot(key: Uint8Array, start: number, length: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    let slot = (mix(hash) << 1) & mask;
    for (;;) {
      const entry = slots[slot + 1] - 1;
      if (entry < 0 || (slots[slot] === hash && this.keyEquals(entry, key, start, length))) return slot;
      slot = (slot + 2) & mask;
    }
  }

  private keyEquals(entry: number, key: Uint8Array, start: number, length: number): boolean {
    if (this.keys[entry * 2 + 1] !== length) return false;
    const arena = this.arena;
    const offset = this.keys[entry * 2] - start;
    for (let index = start; index < start + length; index++) {
      if (arena[offset + index] !== key[index]) return false;
    }
    return true;
  }

  private insert(slot: number, key: Uint8Array, start: number, length: number, hash: number, count: number): void {
    // The arena first: when it refuses to grow, the table is left as it was.
    if (this.arenaLength + length > this.arena.length) this.growArena(length);
    const entry = this.distinct++;
    if (entry === this.hashes.length) this.growEntries();
    // A byte loop: keys are short, and subarray() would allocate (a Buffer, even) per insert.
    const arena = this.arena;
    for (let index = 0; index < length; index++) arena[this.arenaLength + index] = key[start + index];
    this.keys[entry * 2] = this.arenaLength;
    this.keys[entry * 2 + 1] = length;
    this.counts[entry] = count;
    this.hashes[entry] = hash;
    this.arenaLength += length;
    this.slots[slot] = hash;
    this.slots[slot + 1] = entry + 1;
    // Keep the load factor at or below one half so probe runs stay short.
    if (this.distinct * 4 > this.slots.length) this.rehash();
  }

  private growEntries(): void {
    const capacity = this.hashes.length * 2;
    this.hashes = copiedInto(this.hashes, new Int32Array(capacity));
    this.keys = copiedInto(this.keys, new Int32Array(capacity * 2));
    this.counts = copiedInto(this.counts, new Float64Array(capacity));
  }

  private growArena(needed: number): void {
    if (this.arenaLength + needed > this.maxArenaBytes) {
      // Offsets are Int32; failing loudly beats wrapping around into wrong counts.
      throw new RangeError(`more than ${this.maxArenaBytes} bytes of distinct words in one table`);
    }
    let capacity = this.arena.length * 2;
    while (capacity < this.arenaLength + needed) capacity *= 2;
    capacity = Math.min(capacity, this.maxArenaBytes);
    this.arena = copiedInto(this.arena.subarray(0, this.arenaLength), new Uint8Array(capacity));
    this.arenaView = Buffer.from(this.arena.buffer);
  }

  /** Doubles the slots. Like addBatch(), it touches a batch of slots before filling them. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 2;
    const hashes = this.hashes;
    let touched = 0;
    for (let first = 0; first < this.distinct; first += REHASH_BATCH) {
      const last = Math.min(this.distinct, first + REHASH_BATCH);
      for (let entry = first; entry < last; entry++) touched ^= slots[((mix(hashes[entry]) << 1) & mask) + 1];
      for (let entry = first; entry < last; entry++) {
        const hash = hashes[entry];
        let slot = (mix(hash) << 1) & mask;
        while (slots[slot + 1] !== 0) slot = (slot + 2) & mask;
        slots[slot] = hash;
        slots[slot + 1] = entry + 1;
      }
    }
    this.prefetchSink = touched;
    this.slots = slots;
  }
}

/** FNV-1a's low bits depend mostly on the last bytes; folding the high half in spreads slots. */
function mix(hash: number): number {
  return hash ^ (hash >>> 16);
}

function copiedInto<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
