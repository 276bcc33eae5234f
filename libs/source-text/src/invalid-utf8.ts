import { isUtf8 } from 'node:buffer';

const REPLACEMENT_CHARACTER_UTF8 = Buffer.from([0xef, 0xbf, 0xbd]);
const EMPTY = new Uint8Array(0);

/**
 * Counts, across chunks, the invalid UTF-8 sequences of a stream: exactly the U+FFFD that the
 * WHATWG decoder (TextDecoder) would put in their place, which is also what the tokenizers
 * read such bytes as. It only looks: the bytes go on to the tokenizers unchanged.
 *
 * Valid text costs one `isUtf8` pass (SIMD) per chunk. A chunk that is not valid is decoded
 * once to count; that is the rare case. A sequence cut by a chunk boundary is held back (at
 * most three bytes) and judged with the next chunk. Splitting right before a byte >= 0xC2 is
 * safe: such a byte is never a continuation, so the decoder starts a new sequence there (C0
 * and C1 never start a valid one, so they are judged at once).
 */
export class InvalidUtf8Counter {
  private pending: Uint8Array = EMPTY;
  private invalid = 0;
  // UTF-8 in replacement mode, TextDecoder's default. It strips a BOM at the start of a call,
  // which changes no count: a BOM is valid, and the U+FFFD are counted, not the text.
  private readonly decoder = new TextDecoder();

  get invalidSequences(): number {
    return this.invalid;
  }

  write(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.pending.length > 0) {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      bytes = joined;
    }
    const cut = incompleteTailStart(bytes);
    // A copy: Buffer's slice() is a view, and the caller may reuse the chunk's memory.
    this.pending = new Uint8Array(bytes.subarray(cut));
    const whole = bytes.subarray(0, cut);
    if (!isUtf8(whole)) this.invalid += countReplacements(this.decoder.decode(whole), whole);
  }

  /** At the end, a sequence left incomplete is one more invalid sequence. */
  end(): number {
    this.invalid += countReplacements(this.decoder.decode(this.pending), this.pending);
    this.pending = EMPTY;
    return this.invalid;
  }
}

/** Where a sequence that the bytes end inside starts (bytes.length when none does). */
function incompleteTailStart(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let start = end - 1; start >= Math.max(0, end - 3); start--) {
    const byte = bytes[start];
    if (byte < 0x80) return end;
    if (byte >= 0xc2) return end - start < sequenceLength(byte) ? start : end;
  }
  return end;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  return 2;
}

/** U+FFFD in `text` that the decoder made, not ones the bytes spelled out (EF BF BD). */
function countReplacements(text: string, bytes: Uint8Array): number {
  let made = 0;
  for (let index = text.indexOf('\ufffd'); index !== -1; index = text.indexOf('\ufffd', index + 1)) made++;
  let genuine = 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = buffer.indexOf(REPLACEMENT_CHARACTER_UTF8); index !== -1; index = buffer.indexOf(REPLACEMENT_CHARACTER_UTF8, index + 3)) {
    genuine++;
  }
  return made - genuine;
}
