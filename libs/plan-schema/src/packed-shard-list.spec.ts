import { PackedPlanItems } from './packed-plan-items';
import { parsePackedShardList } from './packed-shard-list';
import { parseShardList, PlanFormatError } from './parse';
import type { PlanItem } from './schemas';

// Watched, to tell whether a list took the walk or was left to parseShardList.
jest.mock('./parse', () => {
  const actual = jest.requireActual<typeof import('./parse')>('./parse');
  return { ...actual, parseShardList: jest.fn(actual.parseShardList) };
});
const fullParse = jest.mocked(parseShardList);

const items: PlanItem[] = [
  { name: 'a b.txt', size: 10, etag: '2370e83a51e84df7b042aa2a4344ee3c' },
  { name: 'dir/caf\u00e9 \u{1f600} "quoted" \\ back\nslash.txt', size: 0, etag: 'abc-3' },
  { name: '\u4e2d\u6587/\u0000', size: 2 ** 53 - 1, etag: 'e', versionId: 'Wq.4x_yZ-0Az' },
];
const list = { version: 1, kind: 'wordbatch-shard-list', planId: 'p1-0123456789ab', shardIndex: 4, bytes: 12, items };

/** The outcome with the items unpacked, or the error's message: what both parsers must agree on. */
function outcome(parse: () => { items: Iterable<PlanItem> }): unknown {
  try {
    const parsed = parse();
    return { ...parsed, items: [...parsed.items] };
  } catch (error) {
    if (error instanceof PlanFormatError) return { error: error.message };
    throw error;
  }
}

function expectSameAsParseShardList(text: string): void {
  expect(outcome(() => parsePackedShardList(text, 'shard list 4'))).toEqual(outcome(() => parseShardList(text, 'shard list 4')));
}

beforeEach(() => fullParse.mockClear());

describe('parsePackedShardList', () => {
  it('reads a list as plan writes it, item by item, without parsing it whole', () => {
    const parsed = parsePackedShardList(JSON.stringify(list));
    expect(fullParse).not.toHaveBeenCalled();
    expect(parsed.items).toBeInstanceOf(PackedPlanItems);
    expect({ ...parsed, items: [...parsed.items] }).toEqual(list);
  });

  it('reads the objects a plan could not find, and a version-1 list, without parsing them whole', () => {
    const withSkipped = { ...list, version: 2, skipped: [{ name: 'gone.txt', reason: 'missing' }] };
    expect(outcome(() => parsePackedShardList(JSON.stringify(withSkipped)))).toEqual(withSkipped);
    const versionOne = { ...list, version: 1, items: items.map(({ name, size, etag }) => ({ name, size, etag })) };
    expect(outcome(() => parsePackedShardList(JSON.stringify(versionOne)))).toEqual(versionOne);
    expect(fullParse).not.toHaveBeenCalled();
  });

  it('reads an empty list', () => {
    const parsed = parsePackedShardList(JSON.stringify({ ...list, items: [] }));
    expect(fullParse).not.toHaveBeenCalled();
    expect(parsed.items).toHaveLength(0);
  });

  it('reads other layouts of the same document alike: whitespace, key order, escapes', () => {
    const reordered = { items, bytes: 12, shardIndex: 4, planId: 'p1-0123456789ab', kind: 'wordbatch-shard-list', version: 1 };
    const texts = [
      JSON.stringify(list, null, 2),
      ` \r\n\t${JSON.stringify(list)}\n`,
      JSON.stringify(reordered),
      JSON.stringify(list).replace('"kind"', '"\\u006bind"').replace('a b.txt', 'a\\u0020b.txt'),
      JSON.stringify(list).replace(/,/g, ' ,\n').replace(/:/g, '\t: '),
    ];
    for (const text of texts) {
      const parsed = parsePackedShardList(text);
      expect({ ...parsed, items: [...parsed.items] }).toEqual(list);
    }
    expect(fullParse).not.toHaveBeenCalled();
  });

  it('reads names holding brackets, braces, quotes and backslashes, item by item', () => {
    const odd = { ...list, items: [{ ...items[0], name: 'x}]{[\\"}.txt' }, { ...items[1], name: '[{' }, items[2]] };
    const parsed = parsePackedShardList(JSON.stringify(odd));
    expect(fullParse).not.toHaveBeenCalled();
    expect([...parsed.items]).toEqual(odd.items);
  });

  it('keeps the last of duplicate keys, as JSON.parse does; a second item list is left to parseShardList', () => {
    const text = JSON.stringify(list).replace('"bytes":12', '"bytes":99,"bytes":12');
    expect(outcome(() => parsePackedShardList(text))).toEqual(list);
    expect(fullParse).not.toHaveBeenCalled();
    const twice = `${JSON.stringify(list).slice(0, -1)},"items":[]}`;
    expect(outcome(() => parsePackedShardList(twice))).toEqual({ ...list, items: [] });
    expect(fullParse).toHaveBeenCalledTimes(1);
  });

  it.each<[string, string]>([
    ['not JSON', '{'],
    ['trailing garbage', `${JSON.stringify(list)} x`],
    ['two documents', `${JSON.stringify(list)}{}`],
    ['a byte order mark', `\ufeff${JSON.stringify(list)}`],
    ['a trailing comma among the items', JSON.stringify(list).replace(/}]/, '},]')],
    ['a single-quoted key', JSON.stringify(list).replace('"bytes"', "'bytes'")],
    ['a missing colon', JSON.stringify(list).replace('"bytes":', '"bytes" ')],
    ['a missing comma between fields', JSON.stringify(list).replace(',"bytes"', ' "bytes"')],
    ['a semicolon for a comma between fields', JSON.stringify(list).replace('","shardIndex"', '";"shardIndex"')],
    ['a missing comma between items', JSON.stringify(list).replace('},{', '} {')],
    ['a semicolon for a comma between items', JSON.stringify(list).replace('},{', '};{')],
    ['an array', JSON.stringify([list])],
    ['an empty object', '{}'],
    ['a newer version', JSON.stringify({ ...list, version: 3 })],
    ['a missing field', JSON.stringify({ ...list, planId: undefined })],
    ['no items', JSON.stringify({ ...list, items: undefined })],
    ['items that are not an array', JSON.stringify({ ...list, items: { 0: items[0] } })],
    ['an unknown key', JSON.stringify({ ...list, 'x\ny': 1 })],
    ['an unknown key named __proto__', JSON.stringify(list).replace('"bytes"', '"__proto__":{},"bytes"')],
    ['a negative size', JSON.stringify({ ...list, items: [items[0], { ...items[1], size: -1 }] })],
    ['a fractional size', JSON.stringify({ ...list, items: [{ ...items[0], size: 1.5 }] })],
    ['an unsafe size', JSON.stringify({ ...list, items: [{ ...items[0], size: 2 ** 53 }] })],
    ['an empty name', JSON.stringify({ ...list, items: [{ ...items[0], name: '' }] })],
    ['an unpaired surrogate in a name', JSON.stringify({ ...list, items: [{ ...items[0], name: 'a\ud800.txt' }] })],
    ['an unknown item key', JSON.stringify({ ...list, items: [{ ...items[0], extra: 1 }] })],
    ['an empty version id', JSON.stringify({ ...list, items: [{ ...items[0], versionId: '' }] })],
    ['a version id that is not a string', JSON.stringify({ ...list, items: [{ ...items[0], versionId: 7 }] })],
    ['an unpaired surrogate in a version id', JSON.stringify({ ...list, items: [{ ...items[0], versionId: 'v\udc00' }] })],
    ['a skipped entry without a reason', JSON.stringify({ ...list, skipped: [{ name: 'gone.txt' }] })],
    ['an item that is not an object', JSON.stringify({ ...list, items: [items[0], 'b.txt'] })],
    ['an unterminated string', JSON.stringify(list).slice(0, 100)],
    ['unbalanced brackets', JSON.stringify(list).replace('}]', ']]')],
  ])('rejects %s exactly as parseShardList does', (_case, text) => {
    expect(() => parsePackedShardList(text, 'shard list 4')).toThrow(PlanFormatError);
    expectSameAsParseShardList(text);
  });

  it('names the document a shard list in errors unless told otherwise', () => {
    expect(() => parsePackedShardList('{')).toThrow(/^shard list is not valid JSON/);
  });

  it('keeps an ETag that UTF-8 cannot carry as it is', () => {
    const odd = { ...list, items: [{ ...items[0], etag: 'x\udc00y' }, items[1]] };
    const parsed = parsePackedShardList(JSON.stringify(odd));
    expect(fullParse).not.toHaveBeenCalled();
    expect([...parsed.items]).toEqual(odd.items);
  });
});
