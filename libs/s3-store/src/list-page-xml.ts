import { decodeListedKey } from './keys';
import { uriEncode } from './direct-get';
import type { ListRequest, ListResponse } from './fan-out-listing';
import { unquoteEtag, type ListedObject } from './listed-object';

/**
 * What listing takes from a ListObjectsV2 answer, as the SDK's deserializer gives it (before
 * keys are decoded): the fields of `ListObjectsV2CommandOutput` that plan and the fan-out
 * walk read. Everything else (owner, checksums, restore status, dates) is skipped.
 */
export interface RawListPage {
  readonly contents: readonly RawListedObject[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated?: boolean;
  readonly nextContinuationToken?: string;
  readonly encodingType?: string;
}

export interface RawListedObject {
  readonly key?: string;
  readonly size?: number;
  readonly etag?: string;
}

/** The one reading of a page, whichever parser produced it: keys decoded, ETags unquoted, objects without a key dropped. */
export function listResponseOf(page: RawListPage): ListResponse {
  const objects: ListedObject[] = [];
  for (const object of page.contents) {
    if (object.key === undefined) continue;
    objects.push({ key: decodeListedKey(object.key, page.encodingType), size: object.size ?? 0, etag: unquoteEtag(object.etag) });
  }
  const prefixes: string[] = [];
  for (const prefix of page.commonPrefixes) if (prefix) prefixes.push(decodeListedKey(prefix, page.encodingType));
  return { objects, prefixes, nextToken: page.isTruncated ? page.nextContinuationToken : undefined };
}

/** The SDK's answer in the same shape, so both paths share `listResponseOf`. */
export function rawListPageOfSdk(output: {
  Contents?: readonly { Key?: string; Size?: number; ETag?: string }[];
  CommonPrefixes?: readonly { Prefix?: string }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
  EncodingType?: string;
}): RawListPage {
  return {
    contents: (output.Contents ?? []).map((object) => ({ key: object.Key, size: object.Size, etag: object.ETag })),
    commonPrefixes: (output.CommonPrefixes ?? []).flatMap((common) => (common.Prefix === undefined ? [] : [common.Prefix])),
    isTruncated: output.IsTruncated,
    nextContinuationToken: output.NextContinuationToken,
    encodingType: output.EncodingType,
  };
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
/**
 * What this reader leaves to the SDK: CDATA, comments and DOCTYPEs (`<!`), self-closing
 * elements, a carriage return, characters XML 1.0 forbids, and any `&` that does not start
 * one of XML's five predefined entities.
 */
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are the point
const FORBIDDEN_CHARACTER = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos);)/;
const SIZE = /^\d{1,16}$/;
const TAG_WITH_ATTRIBUTES = /<[^>\s]*\s/g;
const WHITESPACE = /\s/g;

/**
 * Whether the reader leaves `piece` to the SDK. Written as separate scans, each far quicker than
 * one expression of all the alternatives: an ETag's `&quot;` made that one stop at every key.
 */
function isDeclined(piece: string): boolean {
  return piece.includes('<!') || piece.includes('/>') || FORBIDDEN_CHARACTER.test(piece) || (piece.includes('&') && BARE_AMPERSAND.test(piece));
}

/** Whether a tag in `piece` from `from` has attributes; S3 writes no whitespace at all in most pages, which settles it at once. */
function hasTagWithAttributes(piece: string, from: number): boolean {
  WHITESPACE.lastIndex = from;
  if (!WHITESPACE.test(piece)) return false;
  TAG_WITH_ATTRIBUTES.lastIndex = from;
  return TAG_WITH_ATTRIBUTES.test(piece);
}

/**
 * A page is decoded to text in pieces of about this many bytes: V8 puts a string above
 * 128 KiB in its large-object space, which cost about twenty times the CPU of decoding the
 * same bytes as smaller strings (a page of 1,000 keys is about 230 KB), a tenth of plan's
 * time at millions of keys.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Reads a ListObjectsV2 answer (ListBucketResult) without building an XML tree: about twenty
 * times less CPU than the SDK's deserializer, which validates and builds a full document for
 * every page and was three quarters of plan's time at ten million keys.
 *
 * It reads only documents in the shape S3 writes: elements without attributes (but the root's
 * xmlns), text with the five predefined entities. Anything else — CDATA, comments, a DOCTYPE,
 * self-closing elements, character references, a carriage return (XML turns CR LF into LF),
 * characters XML forbids, a malformed number, another root — returns undefined, and the caller lets the SDK read the
 * page instead, so every answer reads as the SDK reads it. The text rules are the SDK's: a
 * value that is only whitespace and holds a line feed is empty.
 *
 * The body is cut into pieces of about `pieceBytes` just after a `</Contents>` or
 * `</CommonPrefixes>`, where S3's pages end a top-level element: markup, so no text, entity or
 * UTF-8 sequence spans a cut. Each piece must then hold whole elements; where one does not (a
 * document not in S3's shape), the page is declined.
 */
export function parseListPageXml(body: Buffer, pieceBytes = PIECE_BYTES): RawListPage | undefined {
  const pieces = textPieces(body, pieceBytes);
  if (pieces.some(isDeclined)) return undefined;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  let position = 0;
  if (first.startsWith('<?xml')) {
    position = first.indexOf('?>');
    if (position < 0) return undefined;
    position += 2;
  }
  position = skipWhitespace(first, position);
  if (!first.startsWith('<ListBucketResult', position)) return undefined;
  const rootOpenEnd = first.indexOf('>', position);
  if (rootOpenEnd < 0) return undefined;
  const rootAttributes = first.slice(position + '<ListBucketResult'.length, rootOpenEnd);
  if (rootAttributes !== '' && !/^\s+xmlns="[^"<>]*"\s*$/.test(rootAttributes)) return undefined;
  // Text holds no `<`, so a `<` followed by whitespace before its `>` is a tag with attributes.
  for (const [index, piece] of pieces.entries()) {
    if (hasTagWithAttributes(piece, index === 0 ? rootOpenEnd : 0)) return undefined;
  }
  const rootEnd = last.lastIndexOf('</ListBucketResult>');
  if (rootEnd < 0 || (pieces.length === 1 && rootEnd < rootOpenEnd) || skipWhitespace(last, rootEnd + '</ListBucketResult>'.length) !== last.length) return undefined;

  const page: PageFields = { contents: [], commonPrefixes: [] };
  for (const [index, piece] of pieces.entries()) {
    const start = index === 0 ? rootOpenEnd + 1 : 0;
    const end = index === pieces.length - 1 ? rootEnd : piece.length;
    if (!readTopLevel(piece, start, end, page)) return undefined;
  }
  return page;
}

/** The body as text, in pieces cut just after `</Contents>` or `</CommonPrefixes>` once a piece has `pieceBytes`. */
function textPieces(body: Buffer, pieceBytes: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  // Where each closing tag is next found at or past a position; -1 once it is found no more.
  const nextEnds = CUT_AFTER.map(() => 0);
  while (body.length - start > pieceBytes) {
    const from = start + pieceBytes;
    let cut = -1;
    CUT_AFTER.forEach((tag, index) => {
      if (nextEnds[index] !== -1 && nextEnds[index] < from) {
        const found = body.indexOf(tag, from);
        nextEnds[index] = found === -1 ? -1 : found + tag.length;
      }
      if (nextEnds[index] !== -1 && (cut === -1 || nextEnds[index] < cut)) cut = nextEnds[index];
    });
    if (cut === -1 || cut === body.length) break;
    pieces.push(body.toString('utf8', start, cut));
    start = cut;
  }
  pieces.push(body.toString('utf8', start));
  return pieces;
}

const CUT_AFTER = ['</Contents>', '</CommonPrefixes>'].map((tag) => Buffer.from(tag));

type PageFields = { -readonly [Field in keyof RawListPage]: RawListPage[Field] } & { contents: RawListedObject[]; commonPrefixes: string[] };

/** The root's children between `position` and `end` of one piece, into `page`; false when they are not in S3's shape. */
function readTopLevel(xml: string, position: number, end: number, page: PageFields): boolean {
  for (;;) {
    const open = xml.indexOf('<', position);
    if (open < 0 || open >= end) break;
    if (!isIgnorableGap(xml, position, open)) return false;
    const element = readElement(xml, open, end);
    if (element === undefined) return false;
    position = element.end;
    switch (element.name) {
      case 'Contents': {
        const object = readContents(xml, element.innerStart, element.innerEnd);
        if (object === undefined) return false;
        page.contents.push(object);
        break;
      }
      case 'CommonPrefixes': {
        const fields = leafFields(xml, element.innerStart, element.innerEnd, PREFIX_FIELDS);
        if (fields === undefined) return false;
        const [prefix] = fields;
        if (prefix !== undefined) page.commonPrefixes.push(prefix);
        break;
      }
      case 'IsTruncated': {
        const text = textOf(xml, element.innerStart, element.innerEnd);
        if (text !== 'true' && text !== 'false') return false;
        page.isTruncated = text === 'true';
        break;
      }
      case 'NextContinuationToken':
        page.nextContinuationToken = textOf(xml, element.innerStart, element.innerEnd);
        break;
      case 'EncodingType':
        page.encodingType = textOf(xml, element.innerStart, element.innerEnd);
        break;
      default:
        // Name, Prefix, Delimiter, MaxKeys, KeyCount, StartAfter, ContinuationToken: not read.
        break;
    }
  }
  return isIgnorableGap(xml, position, end);
}

interface Element {
  readonly name: string;
  readonly innerStart: number;
  readonly innerEnd: number;
  /** Just past the closing tag. */
  readonly end: number;
}

/** The element whose `<` is at `open`: S3's elements never nest one of the same name, so its end is the next closing tag of its name. */
function readElement(xml: string, open: number, limit: number): Element | undefined {
  const nameEnd = xml.indexOf('>', open);
  if (nameEnd < 0 || nameEnd >= limit || !isElementName(xml, open + 1, nameEnd)) return undefined;
  const name = xml.slice(open + 1, nameEnd);
  const close = closingTag(name);
  const innerEnd = xml.indexOf(close, nameEnd + 1);
  if (innerEnd < 0 || innerEnd >= limit) return undefined;
  return { name, innerStart: nameEnd + 1, innerEnd, end: innerEnd + close.length };
}

/** Whether the text from `start` to `end` is an ASCII letter and then letters and digits (every name S3 writes). */
function isElementName(xml: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let index = start; index < end; index++) {
    const code = xml.charCodeAt(index);
    const lowerCase = code | 0x20; // an ASCII letter in lower case; nothing else becomes one
    const letter = lowerCase >= 0x61 && lowerCase <= 0x7a;
    const digit = code >= 0x30 && code <= 0x39;
    if (!letter && !(digit && index > start)) return false;
  }
  return true;
}

/** `</name>` for each name met: a page repeats a dozen names thousands of times. */
const closingTags = new Map<string, string>();
function closingTag(name: string): string {
  let tag = closingTags.get(name);
  if (tag === undefined) {
    tag = `</${name}>`;
    if (closingTags.size < 64) closingTags.set(name, tag);
  }
  return tag;
}

const CONTENTS_FIELDS = ['Key', 'Size', 'ETag'];
const PREFIX_FIELDS = ['Prefix'];

/** One `<Contents>`: its Key, Size and ETag; undefined when it is not in S3's shape. */
function readContents(xml: string, start: number, end: number): RawListedObject | undefined {
  const fields = readLeavesOnly(xml, start, end) ?? leafFields(xml, start, end, CONTENTS_FIELDS);
  if (fields === undefined) return undefined;
  const [key, sizeText, etag] = fields;
  if (sizeText !== undefined && !SIZE.test(sizeText)) return undefined;
  return { key, size: sizeText === undefined ? undefined : Number(sizeText), etag };
}

/**
 * A `<Contents>` as S3 writes one for most objects (child elements with text only, nothing
 * between them), read without an object or a name per child: the texts of CONTENTS_FIELDS, as
 * leafFields gives them. Anything else (an Owner, whitespace between children, a field twice)
 * is undefined, and the general reader (leafFields) reads or declines it as before.
 */
function readLeavesOnly(xml: string, start: number, end: number): (string | undefined)[] | undefined {
  const fields: (string | undefined)[] = CONTENTS_FIELDS.map(() => undefined);
  let position = start;
  while (position < end) {
    if (xml.charCodeAt(position) !== LESS_THAN) return undefined;
    const nameEnd = xml.indexOf('>', position);
    if (nameEnd < 0 || nameEnd >= end || !isElementName(xml, position + 1, nameEnd)) return undefined;
    const nameLength = nameEnd - position - 1;
    // A leaf: the next `<` after its start tag begins its own end tag.
    const textEnd = xml.indexOf('<', nameEnd + 1);
    if (textEnd < 0 || textEnd >= end || xml.charCodeAt(textEnd + 1) !== SLASH || xml.charCodeAt(textEnd + 2 + nameLength) !== GREATER_THAN) return undefined;
    for (let index = 1; index <= nameLength; index++) if (xml.charCodeAt(position + index) !== xml.charCodeAt(textEnd + 1 + index)) return undefined;
    const field = CONTENTS_FIELDS.findIndex((name) => isName(xml, position, nameLength, name));
    if (field !== -1) {
      if (fields[field] !== undefined) return undefined;
      fields[field] = textOf(xml, nameEnd + 1, textEnd);
    }
    position = textEnd + 3 + nameLength;
  }
  return position === end ? fields : undefined;
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;

/** Whether the start tag at `open`, whose name is `length` long, is `<name>`. */
function isName(xml: string, open: number, length: number, name: string): boolean {
  return length === name.length && xml.startsWith(name, open + 1);
}

/**
 * The texts of the `wanted` children of the element between `start` and `end` (in `wanted`'s
 * order, undefined for a child not there), read child by child; undefined when a wanted
 * child comes twice (the SDK would make a list) or holds markup, or text stands between the
 * children (the SDK would then read the element as that text).
 */
function leafFields(xml: string, start: number, end: number, wanted: readonly string[]): (string | undefined)[] | undefined {
  const fields: (string | undefined)[] = wanted.map(() => undefined);
  let position = start;
  for (;;) {
    const open = xml.indexOf('<', position);
    if (open < 0 || open >= end) break;
    if (!isIgnorableGap(xml, position, open)) return undefined;
    const element = readElement(xml, open, end);
    if (element === undefined) return undefined;
    position = element.end;
    const field = wanted.indexOf(element.name);
    if (field === -1) continue;
    if (fields[field] !== undefined) return undefined;
    const markup = xml.indexOf('<', element.innerStart);
    if (markup < element.innerEnd) return undefined;
    fields[field] = textOf(xml, element.innerStart, element.innerEnd);
  }
  return isIgnorableGap(xml, position, end) ? fields : undefined;
}

/** Element text as the SDK's XML reader gives it: entities replaced; whitespace holding a line feed is empty. */
function textOf(xml: string, start: number, end: number): string {
  let text = xml.slice(start, end);
  const first = text.charCodeAt(0);
  // Text that starts with a visible ASCII character is not whitespace (the common case: keys, sizes, tags).
  if (first > 0x20 && first < 0x7f && !text.includes('&')) return text;
  if (text.includes('&')) text = text.replace(/&(?:amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]);
  if (text.trim() === '' && text.includes('\n')) return '';
  return text;
}

function skipWhitespace(xml: string, position: number): number {
  while (position < xml.length && /\s/.test(xml[position])) position++;
  return position;
}

/**
 * Text between elements that the SDK's reader drops: none, or whitespace holding a line feed.
 * Other text there (even spaces alone) makes it read the parent as that text.
 */
function isIgnorableGap(xml: string, start: number, end: number): boolean {
  if (start === end) return true;
  let lineFeed = false;
  for (let index = start; index < end; index++) {
    const code = xml.charCodeAt(index);
    if (code === 0x0a) lineFeed = true;
    else if (code !== 0x20 && code !== 0x09) return false;
  }
  return lineFeed;
}

/** The canonical query string of a ListObjectsV2 request (SigV4: names sorted, values URI-encoded), with keys URL-encoded in the answer. */
export function listObjectsV2Query(request: ListRequest): string {
  const parameters: [string, string | undefined][] = [
    ['continuation-token', request.continuationToken],
    ['delimiter', request.delimited ? '/' : undefined],
    ['encoding-type', 'url'],
    ['list-type', '2'],
    ['prefix', request.prefix],
    ['start-after', request.startAfter],
  ];
  return parameters
    .filter((parameter): parameter is [string, string] => parameter[1] !== undefined)
    .map(([name, value]) => `${name}=${uriEncode(value)}`)
    .join('&');
}
