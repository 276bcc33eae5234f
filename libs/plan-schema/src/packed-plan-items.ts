import type { PlanItem } from './schemas';

const INITIAL_ITEMS = 64;
/** Ends kept per item in `ends`: name, ETag, version id. */
const FIELDS = 3;
const INITIAL_TEXT_BYTES = 4096;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A shard's items, held in three typed arrays instead of an object and two strings each.
 *
 * As PlanItem objects, the 100,000 items of a shard of small objects took 14 MB of migrate's
 * 30 MB of live JS heap, and V8 lets the old generation grow to a few times the live heap
 * before it collects it again: they cost about 50 MB of peak memory. Here the names and
 * ETags are UTF-8 in one buffer, outside the JS heap (about 9 MB for those items), and an
 * item is made again, as a short-lived object, only when it is asked for.
 */
export class PackedPlanItems implements Iterable<PlanItem> {
  /** Built by PlanItemPacker, or from(). */
  constructor(
    /** Each item's name, its ETag, then its version id (empty when it has none), UTF-8, back to back. */
    private readonly text: Buffer,
    /**
     * Per item, where its name, its ETag and its version id end in `text` (a shard list is a
     * string, so under 1.6 GB of UTF-8). A version id is never empty, so an empty one is none.
     */
    private readonly ends: Uint32Array,
    private readonly sizes: Float64Array,
    /** ETags UTF-8 cannot carry (an unpaired surrogate), by item index: an ETag is only checked to be a string. */
    private readonly oddEtags: ReadonlyMap<number, string>,
    readonly length: number,
  ) {}

  static from(items: Iterable<PlanItem>): PackedPlanItems {
    const packer = new PlanItemPacker();
    for (const item of items) packer.add(item);
    return packer.finish();
  }

  /** `index` must be below `length`. */
  at(index: number): PlanItem {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`item ${index} of ${this.length}`);
    }
    const start = index === 0 ? 0 : this.ends[FIELDS * index - 1];
    const nameEnd = this.ends[FIELDS * index];
    const etagEnd = this.ends[FIELDS * index + 1];
    const versionEnd = this.ends[FIELDS * index + 2];
    const name = this.text.toString('utf8', start, nameEnd);
    const etag = this.oddEtags.get(index) ?? this.text.toString('utf8', nameEnd, etagEnd);
    const item: PlanItem = { name, size: this.sizes[index], etag };
    if (versionEnd > etagEnd) item.versionId = this.text.toString('utf8', etagEnd, versionEnd);
    return item;
  }

  *[Symbol.iterator](): Iterator<PlanItem> {
    for (let index = 0; index < this.length; index++) yield this.at(index);
  }
}

/** Packs valid items one at a time, so that a whole list of them is never held as objects. */
export class PlanItemPacker {
  private text: Buffer;
  private textLength = 0;
  private ends = new Uint32Array(FIELDS * INITIAL_ITEMS);
  private sizes = new Float64Array(INITIAL_ITEMS);
  private readonly oddEtags = new Map<number, string>();
  private count = 0;

  /**
   * `textBytes`: room for the UTF-8 of every name and ETag, when a bound is known. A list's
   * own UTF-8 is one: an escape is never shorter than what it stands for. Growing by doubling
   * instead would leave behind garbage of twice the final size, and V8 frees it only at the
   * next full collection, which may be a whole shard later.
   */
  constructor(textBytes = INITIAL_TEXT_BYTES) {
    this.text = Buffer.allocUnsafeSlow(Math.max(textBytes, 16));
  }

  add(item: PlanItem): void {
    if (this.count === this.sizes.length) this.growItems();
    this.ends[FIELDS * this.count] = this.append(item.name);
    if (UNPAIRED_SURROGATE.test(item.etag)) this.oddEtags.set(this.count, item.etag);
    else this.append(item.etag);
    this.ends[FIELDS * this.count + 1] = this.textLength;
    // Version ids are S3's own (ASCII); one UTF-8 could not carry exactly would be misread here, so it is refused.
    if (item.versionId !== undefined) {
      if (UNPAIRED_SURROGATE.test(item.versionId)) throw new RangeError(`version id of ${item.name} is not valid Unicode`);
      this.append(item.versionId);
    }
    this.ends[FIELDS * this.count + 2] = this.textLength;
    this.sizes[this.count] = item.size;
    this.count++;
  }

  /** The items added; the packer is not used afterwards. */
  finish(): PackedPlanItems {
    // Spare room is kept unless it is most of the buffer: a copy would be garbage of its own.
    const used = this.text.subarray(0, this.textLength);
    const text = this.textLength < this.text.length / 2 ? Buffer.from(used) : used;
    return new PackedPlanItems(text, this.ends.slice(0, FIELDS * this.count), this.sizes.slice(0, this.count), this.oddEtags, this.count);
  }

  /** Appends `value` as UTF-8; returns where it ends. */
  private append(value: string): number {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (this.textLength + bytes > this.text.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.text.length, this.textLength + bytes));
      this.text.copy(bigger, 0, 0, this.textLength);
      this.text = bigger;
    }
    this.textLength += this.text.write(value, this.textLength, 'utf8');
    return this.textLength;
  }

  private growItems(): void {
    const ends = new Uint32Array(2 * this.ends.length);
    ends.set(this.ends);
    this.ends = ends;
    const sizes = new Float64Array(2 * this.sizes.length);
    sizes.set(this.sizes);
    this.sizes = sizes;
  }
}
