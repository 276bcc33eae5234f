import { TextDecoder } from 'node:util';
import { InvalidUtf8Counter } from './invalid-utf8';

/**
 * Turns an object's (decompressed) bytes into the UTF-8 that the tokenizers read. A byte
 * order mark at the very start decides the encoding, as Windows editors and most exporters
 * write one, and as the WHATWG decode algorithm lets a BOM override the declared label:
 *
 *   EF BB BF   UTF-8 with a BOM: the BOM is dropped, so it never sticks to the first word
 *   FF FE      UTF-16LE  } decoded (an unpaired surrogate or a dangling odd byte becomes
 *   FE FF      UTF-16BE  } U+FFFD) and re-encoded as UTF-8
 *   otherwise  the plan's encoding: UTF-8 passes as is (the tokenizers read an invalid
 *              sequence as U+FFFD, as TextDecoder would); any other is decoded with
 *              TextDecoder (streaming, so a character cut by a chunk boundary survives)
 *
 * Either way `invalidSequences` counts what became U+FFFD: for UTF-8 the invalid sequences
 * (invalid-utf8.ts), for a decoded encoding every U+FFFD the decoder produced.
 *
 * A NUL character makes the object binary: that is how UTF-16 without a BOM ends up (every
 * ASCII character carries a NUL byte), and UTF-32LE too (FF FE 00 00 reads as UTF-16LE
 * starting with U+0000). Guessing an encoding without a BOM would miscount binary files.
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const EMPTY = Buffer.alloc(0);

export class SourceText {
  /** The first bytes, held until they show whether a BOM is there. */
  private head: Buffer | undefined = EMPTY;
  private decoder: TextDecoder | undefined;
  private detected: string;
  private sawNul = false;
  private readonly utf8Check = new InvalidUtf8Counter();
  private replacements = 0;

  /** `encoding`: a WHATWG encoding name, used when the object has no BOM. */
  constructor(planned = 'utf-8') {
    this.detected = planned;
  }

  /** The encoding the object was read in: the BOM's, else the planned one. */
  get encoding(): string {
    return this.detected;
  }

  /** Sequences that became U+FFFD so far (all of them once end() returned). */
  get invalidSequences(): number {
    return this.decoder === undefined ? this.utf8Check.invalidSequences : this.replacements;
  }

  /** True once a NUL character was seen: the caller stops and skips the object. */
  get binary(): boolean {
    return this.sawNul;
  }

  /** The UTF-8 bytes of `chunk` to count (empty while the BOM is undecided). */
  write(chunk: Buffer): Buffer {
    if (this.head !== undefined) {
      const head = Buffer.concat([this.head, chunk]);
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
    let bomLength = 0;
    if (head[0] === 0xff && head[1] === 0xfe) [this.detected, bomLength] = ['utf-16le', 2];
    else if (head[0] === 0xfe && head[1] === 0xff) [this.detected, bomLength] = ['utf-16be', 2];
    else if (UTF8_BOM.every((byte, index) => head[index] === byte)) [this.detected, bomLength] = ['utf-8', UTF8_BOM.length];
    // ignoreBOM: a leading BOM is already cut; a later U+FEFF is a character of the text.
    if (this.detected !== 'utf-8') this.decoder = new TextDecoder(this.detected, { ignoreBOM: true });
    return head.subarray(bomLength);
  }

  private convert(bytes: Buffer): Buffer {
    if (this.decoder === undefined) {
      if (bytes.indexOf(0) !== -1) this.sawNul = true;
      this.utf8Check.write(bytes);
      return bytes;
    }
    return this.fromText(this.decoder.decode(bytes, { stream: true }));
  }

  private flush(): Buffer {
    if (this.decoder !== undefined) return this.fromText(this.decoder.decode());
    this.utf8Check.end();
    return EMPTY;
  }

  private fromText(text: string): Buffer {
    if (text.includes('\u0000')) this.sawNul = true;
    for (let index = text.indexOf('\ufffd'); index !== -1; index = text.indexOf('\ufffd', index + 1)) this.replacements++;
    return Buffer.from(text, 'utf8');
  }
}

/** True while `head` is too short to tell: a proper prefix of one of the three BOMs. */
function mayStillBeBom(head: Buffer): boolean {
  if (head.length === 0) return true;
  if (head.length === 1) return head[0] === 0xef || head[0] === 0xfe || head[0] === 0xff;
  return head.length === 2 && head[0] === 0xef && head[1] === 0xbb;
}
