import { formatPlanHeader, parsePlanHeader, parseShardList, parseShardResultHeader, parseShardTiming, PlanFormatError } from './parse';
import { sampleHeader, sampleHeaderDocument } from './sample-header.spec-helper';

describe('parsePlanHeader', () => {
  it('reads a valid header, its URIs parsed', () => {
    const header = parsePlanHeader(JSON.stringify(sampleHeaderDocument()));
    expect(header.source).toEqual({ bucket: 'src-bucket', key: 'docs/' });
    expect(header.shardLists).toEqual({ bucket: 'dst-bucket', key: 'plans/p1/' });
    expect(header).toEqual(sampleHeader());
  });

  it('writes the document it reads: URIs as s3:// strings, read back equal', () => {
    const text = formatPlanHeader(sampleHeader());
    expect(JSON.parse(text)).toEqual(sampleHeaderDocument());
    expect(parsePlanHeader(text)).toEqual(sampleHeader());
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{', /plan is not valid JSON/],
    ['a newer version', { ...sampleHeaderDocument(), version: 3 }, /format version 3; this build reads versions 1 and 2/],
    ['a missing field', { ...sampleHeaderDocument(), shardCount: undefined }, /field "shardCount" is missing/],
    ['a shard count over the Batch limit', { ...sampleHeaderDocument(), shardCount: 10_001 }, /field "shardCount"/],
    ['a zero shard count', { ...sampleHeaderDocument(), shardCount: 0 }, /field "shardCount"/],
    ['a bad URI', { ...sampleHeaderDocument(), source: 'http://x' }, /field "source" must be an s3:\/\/bucket\/key URI/],
    ['an unsafe id', { ...sampleHeaderDocument(), id: '../escape' }, /field "id" must be lowercase/],
    ['an unknown tokenizer', { ...sampleHeaderDocument(), settings: { ...sampleHeaderDocument().settings, tokenizer: 'x' } }, /field "settings.tokenizer"/],
    ['an unknown key', { ...sampleHeaderDocument(), extra: 1 }, /has unknown keys extra/],
    ['an array', [], /field "\(document\)"/],
    ['a wrong kind', { ...sampleHeaderDocument(), kind: 'wordbatch-shard-list' }, /field "kind"/],
    ['null', 'null', /^plan: field "\(document\)" /],
    ['a string', '"plan"', /^plan: field "\(document\)" /],
    ['a number', '2', /^plan: field "\(document\)" /],
    ['no version', { ...sampleHeaderDocument(), version: undefined }, /^plan: field "version" invalid input$/],
    ['a version that is not a number', { ...sampleHeaderDocument(), version: '2' }, /^plan: field "version" invalid input/],
    // zod's message, first letter lowercased to follow the field name; a wrong type is not "missing".
    ['a shard count of the wrong type', { ...sampleHeaderDocument(), shardCount: '2' }, /^plan: field "shardCount" invalid input: expected number, received string$/],
    ['a shard count too big', { ...sampleHeaderDocument(), shardCount: 10_001 }, /^plan: field "shardCount" too big: /],
    ['two unknown keys', { ...sampleHeaderDocument(), extra: 1, 'odd key': 2 }, /has unknown keys extra, "odd key"$/],
  ])('rejects %s with a message naming the field', (_case, document, message) => {
    const text = typeof document === 'string' ? document : JSON.stringify(document);
    expect(() => parsePlanHeader(text)).toThrow(PlanFormatError);
    expect(() => parsePlanHeader(text)).toThrow(message);
    expect(() => parsePlanHeader(text)).toThrow(expect.objectContaining({ name: 'PlanFormatError' }));
  });
});

describe('shard documents', () => {
  it('reads a shard list and rejects a bad item', () => {
    const list = {
      version: 1,
      kind: 'wordbatch-shard-list',
      planId: 'p1-0123456789ab',
      shardIndex: 0,
      bytes: 10,
      items: [{ name: 'a b.txt', size: 10, etag: 'abc' }],
    };
    expect(parseShardList(JSON.stringify(list)).items[0].name).toBe('a b.txt');
    const bad = { ...list, items: [{ name: 'x', size: -1, etag: 'abc' }] };
    expect(() => parseShardList(JSON.stringify(bad), 'shard list 0')).toThrow(/shard list 0: field "items.0.size"/);
    const unpaired = { ...list, items: [{ name: 'a\ud800.txt', size: 10, etag: 'abc' }] };
    expect(() => parseShardList(JSON.stringify(unpaired))).toThrow(/field "items.0.name" must be valid Unicode/);
    const oddKey = { ...list, 'x\ny': 1 };
    expect(() => parseShardList(JSON.stringify(oddKey))).toThrow('shard list: field "(document)" has unknown keys "x\\ny"');
  });

  it('reads a shard result header', () => {
    const header = {
      version: 1,
      kind: 'wordbatch-shard-result',
      planId: 'p1-0123456789ab',
      shardIndex: 3,
      tokenizer: 'whitespace',
      stats: { files: 1, bytes: 2, words: 3, distinctWords: 2, skipped: [{ name: 'x.bin', reason: 'binary' }] },
    };
    expect(parseShardResultHeader(JSON.stringify(header)).stats.skipped).toHaveLength(1);
    expect(() => parseShardResultHeader(JSON.stringify({ ...header, stats: {} }))).toThrow(/^shard result: field "stats.files" is missing/);
  });

  it('reads a shard timing and rejects a negative duration or a date that is not ISO', () => {
    const timing = {
      version: 2,
      kind: 'wordbatch-shard-timing',
      planId: 'p1-0123456789ab',
      shardIndex: 3,
      startedAt: '2026-11-30T00:00:00.000Z',
      durationMs: 1500,
      countingThreads: 2,
    };
    expect(parseShardTiming(JSON.stringify(timing))).toEqual(timing);
    expect(() => parseShardTiming(JSON.stringify({ ...timing, durationMs: -1 }), 'timing 3')).toThrow(/timing 3: field "durationMs"/);
    expect(() => parseShardTiming(JSON.stringify({ ...timing, startedAt: 'yesterday' }))).toThrow(/^shard timing: field "startedAt"/);
    expect(() => parseShardTiming(JSON.stringify({ ...timing, kind: 'wordbatch-shard-result' }))).toThrow(/field "kind"/);
  });
});
