/**
 * The counting table behind a WordCounter: open addressing over word bytes, so counting a
 * token allocates nothing and creates no JS string. Keys live back to back in one growable
 * byte arena; strings are made once per distinct key, when the counts are read.
 */

/** FNV-1a: cheap enough to run per byte while the scanner copies the word. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

const INITIAL_SLOTS = 1 << 12;
const INITIAL_ARENA_BYTES = 1 << 16;

export class WordTable {
  /** Entry index + 1 per slot; 0 marks an empty slot. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private offsets = new Int32Array(INITIAL_SLOTS / 2);
  private lengths = new Int32Array(INITIAL_SLOTS / 2);
  /** Float64 because one shard may see a word more than 2^31 times. */
  private counts = new Float64Array(INITIAL_SLOTS / 2);
  private arena = new Uint8Array(INITIAL_ARENA_BYTES);
  private arenaLength = 0;
  private distinct = 0;
  private tokens = 0;

  /** Number of add() calls so far. */
  get total(): number {
    return this.tokens;
  }

  /** Counts one occurrence of `key[0, length)`, whose FNV-1a hash is `hash`. */
  add(key: Uint8Array, length: number, hash: number): void {
    this.tokens++;
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = mix(hash) & mask;
    for (;;) {
      const entry = slots[slot] - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === hash && this.lengths[entry] === length && this.keyEquals(entry, key, length)) {
        this.counts[entry]++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.insert(slot, key, length, hash);
  }

  /** Calls `visit` once per distinct key with the arena and the key's bounds. */
  forEachKey(visit: (arena: Uint8Array, start: number, end: number, count: number) => void): void {
    for (let entry = 0; entry < this.distinct; entry++) {
      const start = this.offsets[entry];
      visit(this.arena, start, start + this.lengths[entry], this.counts[entry]);
    }
  }

  private keyEquals(entry: number, key: Uint8Array, length: number): boolean {
    const arena = this.arena;
    const offset = this.offsets[entry];
    for (let index = 0; index < length; index++) {
      if (arena[offset + index] !== key[index]) return false;
    }
    return true;
  }

  private insert(slot: number, key: Uint8Array, length: number, hash: number): void {
    const entry = this.distinct++;
    if (entry === this.hashes.length) this.growEntries();
    if (this.arenaLength + length > this.arena.length) this.growArena(length);
    this.arena.set(key.subarray(0, length), this.arenaLength);
    this.hashes[entry] = hash;
    this.offsets[entry] = this.arenaLength;
    this.lengths[entry] = length;
    this.counts[entry] = 1;
    this.arenaLength += length;
    this.slots[slot] = entry + 1;
    // Keep the load factor at or below one half so probe runs stay short.
    if (this.distinct * 2 > this.slots.length) this.rehash();
  }

  private growEntries(): void {
    const capacity = this.hashes.length * 2;
    this.hashes = grown(this.hashes, new Int32Array(capacity));
    this.offsets = grown(this.offsets, new Int32Array(capacity));
    this.lengths = grown(this.lengths, new Int32Array(capacity));
    this.counts = grown(this.counts, new Float64Array(capacity));
  }

  private growArena(needed: number): void {
    let capacity = this.arena.length * 2;
    while (capacity < this.arenaLength + needed) capacity *= 2;
    this.arena = grown(this.arena.subarray(0, this.arenaLength), new Uint8Array(capacity));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.distinct; entry++) {
      let slot = mix(this.hashes[entry]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a's low bits depend mostly on the last bytes; folding the high half in spreads slots. */
function mix(hash: number): number {
  return hash ^ (hash >>> 16);
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
