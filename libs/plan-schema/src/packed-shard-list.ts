import { PackedPlanItems, PlanItemPacker } from './packed-plan-items';
import { parseShardList } from './parse';
import { planItemSchema, shardListSchema, type ShardList } from './schemas';

/** A shard list whose items are packed (packed-plan-items.ts): what migrate holds for the whole shard. */
export type PackedShardList = Omit<ShardList, 'items'> & { readonly items: PackedPlanItems };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Reads a shard list as parseShardList does (same document, same checks, same errors), but
 * never holds its items as objects all at once: JSON.parse of the whole text would make one
 * object and two strings per item, and zod a copy of each, before the packing could start.
 *
 * The top-level object is walked here, and each of its values, and each item, is handed to
 * JSON.parse alone; every item is checked with planItemSchema and packed before the next is
 * read. The walk only finds where values end: JSON.parse still judges their syntax. Anything
 * it does not expect (another layout, a duplicate key, an invalid item, bad JSON) is left to
 * parseShardList, so every error message, and every oddly written valid list, reads exactly
 * as it does there.
 */
export function parsePackedShardList(text: string, what = 'shard list'): PackedShardList {
  const packed = parseCommonShardList(text);
  if (packed !== undefined) return packed;
  const list = parseShardList(text, what);
  return { ...list, items: PackedPlanItems.from(list.items) };
}

/** The list, or undefined when parseShardList has to decide. */
function parseCommonShardList(text: string): PackedShardList | undefined {
  try {
    return walkShardList(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function walkShardList(text: string): PackedShardList | undefined {
  const fields: Array<[string, unknown]> = [];
  let items: PackedPlanItems | undefined;
  let at = skipWhitespace(text, 0);
  if (text.charCodeAt(at) !== OPEN_BRACE) return undefined;
  at = skipWhitespace(text, at + 1);
  for (;;) {
    const keyEnd = stringEnd(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(at) !== COLON) return undefined;
    at = skipWhitespace(text, at + 1);
    if (key === 'items') {
      if (items !== undefined || text.charCodeAt(at) !== OPEN_BRACKET) return undefined;
      const packed = packItems(text, at);
      if (packed === undefined) return undefined;
      [items, at] = packed;
    } else {
      const end = valueEnd(text, at);
      fields.push([key, JSON.parse(text.slice(at, end))]);
      at = end;
    }
    at = skipWhitespace(text, at);
    if (text.charCodeAt(at) === CLOSE_BRACE) break;
    if (text.charCodeAt(at) !== COMMA) return undefined;
    at = skipWhitespace(text, at + 1);
  }
  if (skipWhitespace(text, at + 1) !== text.length || items === undefined) return undefined;
  // The items were checked one by one; the rest of the document is checked as parseShardList would.
  const checked = shardListSchema.safeParse({ ...Object.fromEntries(fields), items: [] });
  return checked.success ? { ...checked.data, items } : undefined;
}

/** The items of the array at `at`, each checked, and where the array ends; undefined if one is not valid. */
function packItems(text: string, at: number): [PackedPlanItems, number] | undefined {
  const packer = new PlanItemPacker(Buffer.byteLength(text, 'utf8'));
  at = skipWhitespace(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_BRACKET) return [packer.finish(), at + 1];
  for (;;) {
    const end = valueEnd(text, at);
    const item = planItemSchema.safeParse(JSON.parse(text.slice(at, end)));
    if (!item.success) return undefined;
    packer.add(item.data);
    at = skipWhitespace(text, end);
    if (text.charCodeAt(at) === CLOSE_BRACKET) return [packer.finish(), at + 1];
    if (text.charCodeAt(at) !== COMMA) return undefined;
    at = skipWhitespace(text, at + 1);
  }
}

/** Where the JSON value starting at `at` ends, assuming it is one (JSON.parse then checks). */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: up to what may follow a value.
    let end = at;
    while (end < text.length && !endsScalar(text.charCodeAt(end))) end++;
    return end;
  }
  let depth = 0;
  for (let index = at; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) index = stringEnd(text, index) - 1;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return index + 1;
  }
  throw new SyntaxError('unterminated value');
}

/** Just past the closing quote of the string whose opening quote is at `at`. */
function stringEnd(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) throw new SyntaxError('expected a string');
  for (let index = at + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index++;
    else if (code === QUOTE) return index + 1;
  }
  throw new SyntaxError('unterminated string');
}

function endsScalar(code: number): boolean {
  return code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isWhitespace(code);
}

/** JSON's whitespace: nothing else may stand between its tokens. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && isWhitespace(text.charCodeAt(at))) at++;
  return at;
}
