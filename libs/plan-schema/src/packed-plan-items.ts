import type { PlanItem } from './schemas';

/** Items per block: past this, a list grows by adding blocks, never by copying what it holds. */
const BLOCK_ITEMS = 1 << 16;
const INITIAL_ITEMS = 64;
const INITIAL_TEXT_BYTES = 4096;
/** Ends kept per item: name, ETag text, version id. */
const FIELDS = 3;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A single-part upload's ETag: the MD5 of the object, held as its 16 bytes. */
const MD5_HEX = /^[0-9a-f]{32}$/;

/**
 * Up to BLOCK_ITEMS items: names, ETags that are not plain MD5s and version ids as UTF-8 in
 * one buffer, sizes and MD5 ETags in typed arrays.
 */
class ItemBlock {
  text: Buffer;
  textLength = 0;
  /** Per item, where its name, its ETag text and its version id end in `text`. A version id is never empty, so an empty one is none. */
  ends: Uint32Array;
  sizes: Float64Array;
  /** 16 bytes per item; used when `isMd5` is 1. */
  md5s: Buffer;
  isMd5: Uint8Array;
  count = 0;

  constructor(capacity: number, textBytes: number) {
    this.text = Buffer.allocUnsafeSlow(Math.max(textBytes, 16));
    this.ends = new Uint32Array(FIELDS * capacity);
    this.sizes = new Float64Array(capacity);
    this.md5s = Buffer.alloc(16 * capacity);
    this.isMd5 = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.sizes.length;
  }

  /** Appends `value` as UTF-8; returns where it ends. */
  append(value: string): number {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (this.textLength + bytes > this.text.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.text.length, this.textLength + bytes));
      this.text.copy(bigger, 0, 0, this.textLength);
      this.text = bigger;
    }
    this.textLength += this.text.write(value, this.textLength, 'utf8');
    return this.textLength;
  }

  /** Doubles the per-item arrays (only while the block is below BLOCK_ITEMS). */
  grow(): void {
    const capacity = Math.min(BLOCK_ITEMS, 2 * this.capacity);
    this.ends = copyInto(new Uint32Array(FIELDS * capacity), this.ends);
    this.sizes = copyInto(new Float64Array(capacity), this.sizes);
    this.md5s = copyInto(Buffer.alloc(16 * capacity), this.md5s);
    this.isMd5 = copyInto(new Uint8Array(capacity), this.isMd5);
  }

  /** Drops spare room when it is most of a buffer: a copy of a nearly full one would be garbage of its own. */
  seal(): void {
    if (this.textLength < this.text.length / 2) this.text = Buffer.from(this.text.subarray(0, this.textLength));
    if (this.count < this.capacity / 2) {
      this.ends = this.ends.slice(0, FIELDS * this.count);
      this.sizes = this.sizes.slice(0, this.count);
      this.md5s = Buffer.from(this.md5s.subarray(0, 16 * this.count));
      this.isMd5 = this.isMd5.slice(0, this.count);
    }
  }
}

function copyInto<T extends Uint8Array | Uint32Array | Float64Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

/**
 * Plan items held compactly instead of as an object and two strings each: what plan holds for a
 * whole listing (10,000,000 keys) and migrate for a shard.
 *
 * As PlanItem objects, the 100,000 items of a shard of small objects took 14 MB of migrate's
 * 30 MB of live JS heap, and V8 lets the old generation grow to a few times the live heap
 * before it collects it again. Here names are UTF-8 in buffers outside the JS heap, an MD5
 * ETag is 16 bytes, a size 8, and the list grows in blocks of 65,536 items, so it is never
 * copied whole: about 25 bytes plus the name per item. An item is made again, as a
 * short-lived object, only when it is asked for.
 */
export class PackedPlanItems implements Iterable<PlanItem> {
  /** Built by PlanItemPacker, or from(). */
  constructor(
    private readonly blocks: readonly ItemBlock[],
    /** ETags UTF-8 cannot carry (an unpaired surrogate), by item index: an ETag is only checked to be a string. */
    private readonly oddEtags: ReadonlyMap<number, string>,
    readonly length: number,
    /** The sum of the sizes. */
    readonly totalBytes: number,
  ) {}

  static from(items: Iterable<PlanItem>): PackedPlanItems {
    const packer = new PlanItemPacker();
    for (const item of items) packer.add(item);
    return packer.finish();
  }

  /** `index` must be below `length`. */
  at(index: number): PlanItem {
    this.check(index);
    const item: PlanItem = { name: this.nameAt(index), size: this.sizeAt(index), etag: this.etagAt(index) };
    const block = this.blocks[index >>> 16];
    const local = index & (BLOCK_ITEMS - 1);
    const etagEnd = block.ends[FIELDS * local + 1];
    const versionEnd = block.ends[FIELDS * local + 2];
    if (versionEnd > etagEnd) item.versionId = block.text.toString('utf8', etagEnd, versionEnd);
    return item;
  }

  nameAt(index: number): string {
    const block = this.blocks[index >>> 16];
    const local = index & (BLOCK_ITEMS - 1);
    return block.text.toString('utf8', local === 0 ? 0 : block.ends[FIELDS * local - 1], block.ends[FIELDS * local]);
  }

  sizeAt(index: number): number {
    return this.blocks[index >>> 16].sizes[index & (BLOCK_ITEMS - 1)];
  }

  etagAt(index: number): string {
    const odd = this.oddEtags.get(index);
    if (odd !== undefined) return odd;
    const block = this.blocks[index >>> 16];
    const local = index & (BLOCK_ITEMS - 1);
    if (block.isMd5[local] === 1) return block.md5s.toString('hex', 16 * local, 16 * local + 16);
    return block.text.toString('utf8', block.ends[FIELDS * local], block.ends[FIELDS * local + 1]);
  }

  *[Symbol.iterator](): Iterator<PlanItem> {
    for (let index = 0; index < this.length; index++) yield this.at(index);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`item ${index} of ${this.length}`);
    }
  }
}

/**
 * Packs items one at a time, so that a whole list of them is never held as objects: plan feeds
 * it from a listing (or any other source of items), migrate from a shard list.
 */
export class PlanItemPacker {
  private readonly blocks: ItemBlock[];
  private readonly oddEtags = new Map<number, string>();
  private count = 0;
  private bytes = 0;

  /**
   * `textBytes`: room for the UTF-8 of every name and ETag, when a bound is known (a shard
   * list's own UTF-8 is one: an escape is never shorter than what it stands for). Growing by
   * doubling instead would leave garbage behind that V8 frees only at its next full collection.
   */
  constructor(textBytes = INITIAL_TEXT_BYTES) {
    this.blocks = [new ItemBlock(INITIAL_ITEMS, textBytes)];
  }

  get length(): number {
    return this.count;
  }

  add(item: PlanItem): void {
    this.addItem(item.name, item.size, item.etag, item.versionId);
  }

  addItem(name: string, size: number, etag: string, versionId?: string): void {
    let block = this.blocks[this.blocks.length - 1];
    if (block.count === block.capacity) {
      if (block.capacity < BLOCK_ITEMS) block.grow();
      else {
        block.seal();
        // Later blocks start at the size a full block of this list's items took.
        block = new ItemBlock(BLOCK_ITEMS, block.textLength + (block.textLength >>> 3));
        this.blocks.push(block);
      }
    }
    const local = block.count;
    block.ends[FIELDS * local] = block.append(name);
    if (MD5_HEX.test(etag)) {
      block.isMd5[local] = 1;
      // Written as hex straight into the block: no buffer made per item.
      block.md5s.write(etag, 16 * local, 16, 'hex');
    } else if (UNPAIRED_SURROGATE.test(etag)) this.oddEtags.set(this.count, etag);
    else block.append(etag);
    block.ends[FIELDS * local + 1] = block.textLength;
    // Version ids are S3's own (ASCII); one UTF-8 could not carry exactly would be misread here, so it is refused.
    if (versionId !== undefined) {
      if (UNPAIRED_SURROGATE.test(versionId)) throw new RangeError(`version id of ${name} is not valid Unicode`);
      block.append(versionId);
    }
    block.ends[FIELDS * local + 2] = block.textLength;
    block.sizes[local] = size;
    block.count++;
    this.count++;
    this.bytes += size;
  }

  /** The items added; the packer is not used afterwards. */
  finish(): PackedPlanItems {
    this.blocks[this.blocks.length - 1].seal();
    return new PackedPlanItems(this.blocks, this.oddEtags, this.count, this.bytes);
  }
}
