import { TextDecoder } from 'node:util';

/**
 * Turns an object's bytes into the UTF-8 that the tokenizers read, deciding the encoding
 * from a byte order mark at the very start, as Windows editors and most exporters write one:
 *
 *   EF BB BF   UTF-8 with a BOM: the BOM is dropped, so it never sticks to the first word
 *   FF FE      UTF-16LE  } decoded (an unpaired surrogate or a dangling odd byte becomes
 *   FE FF      UTF-16BE  } U+FFFD) and re-encoded as UTF-8
 *   otherwise  UTF-8 as is (invalid sequences are the tokenizers' business)
 *
 * A NUL character makes the object binary: that is how UTF-16 without a BOM ends up (every
 * ASCII character carries a NUL byte), and UTF-32LE too (FF FE 00 00 reads as UTF-16LE
 * starting with U+0000). Guessing an encoding without a BOM would miscount binary files.
 */
export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const EMPTY = Buffer.alloc(0);

export class SourceText {
  /** The first bytes, held until they show whether a BOM is there. */
  private head: Buffer | undefined = EMPTY;
  private decoder: TextDecoder | undefined;
  private detected: SourceEncoding = 'utf-8';
  private sawNul = false;

  get encoding(): SourceEncoding {
    return this.detected;
  }

  /** True once a NUL character was seen: the caller stops and skips the object. */
  get binary(): boolean {
    return this.sawNul;
  }

  /** The UTF-8 bytes of `chunk` to count (empty while the BOM is undecided). */
  write(chunk: Buffer): Buffer {
    if (this.head !== undefined) {
      const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (mayStillBeBom(head)) {
        this.head = head;
        return EMPTY;
      }
      this.head = undefined;
      return this.convert(this.start(head));
    }
    return this.convert(chunk);
  }

  /** The rest, at the end of the object. */
  end(): Buffer {
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      return Buffer.concat([this.convert(this.start(head)), this.flush()]);
    }
    return this.flush();
  }

  /** Chooses the encoding from the first bytes and returns them without the BOM. */
  private start(head: Buffer): Buffer {
    if (head[0] === 0xff && head[1] === 0xfe) this.detected = 'utf-16le';
    else if (head[0] === 0xfe && head[1] === 0xff) this.detected = 'utf-16be';
    else if (UTF8_BOM.every((byte, index) => head[index] === byte)) return head.subarray(UTF8_BOM.length);
    else return head;
    // ignoreBOM: the leading one is already cut; a later U+FEFF is a character of the text.
    this.decoder = new TextDecoder(this.detected, { ignoreBOM: true });
    return head.subarray(2);
  }

  private convert(bytes: Buffer): Buffer {
    if (this.decoder === undefined) {
      if (bytes.indexOf(0) !== -1) this.sawNul = true;
      return bytes;
    }
    return this.fromText(this.decoder.decode(bytes, { stream: true }));
  }

  private flush(): Buffer {
    return this.decoder === undefined ? EMPTY : this.fromText(this.decoder.decode());
  }

  private fromText(text: string): Buffer {
    if (text.includes('\u0000')) this.sawNul = true;
    return Buffer.from(text, 'utf8');
  }
}

/** True while `head` is too short to tell: a proper prefix of one of the three BOMs. */
function mayStillBeBom(head: Buffer): boolean {
  if (head.length === 0) return true;
  if (head.length === 1) return head[0] === 0xef || head[0] === 0xfe || head[0] === 0xff;
  return head.length === 2 && head[0] === 0xef && head[1] === 0xbb;
}
