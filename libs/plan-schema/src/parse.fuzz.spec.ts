import fc from 'fast-check';
import { isWithin } from '@wordbatch/s3-path';
import {
  assertPlanWritesOutsideSource,
  mergeResultLocation,
  perFileLocation,
  planCopyLocation,
  resultsFolder,
  shardResultLocation,
} from './layout';
import { parsePackedShardList } from './packed-shard-list';
import { parsePlanHeader, parseShardList, parseShardResultHeader, PlanFormatError } from './parse';
import { sampleHeaderDocument } from './sample-header.spec-helper';
import { MAX_SHARDS, planHeaderDocument, planHeaderSchema, type PlanHeader, type PlanHeaderDocument } from './schemas';

/**
 * Property tests: whatever text a plan file holds (random, random JSON, or a valid plan
 * mutated), the parsers answer with a valid document or a one-line PlanFormatError that names
 * the document; never another exception. And a plan that parses never makes a stage write
 * outside its destination.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WHAT = 'plan s3://dst/plans/p.json';

/** Strings that hit the checks: paths, ids, URIs, control characters, unpaired surrogates. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', '../', '..', 'p1-0123456789ab', 'P1', 'a/b', 's3://src-bucket/docs/', 's3://dst-bucket/out/', 's3://Bad_Bucket/',
    's3://dst-bucket/../src-bucket/', 'http://x', '2026-11-29T10:00:00.000Z', 'unicode', 'whitespace', '\u0000', '\n', '\ud800', '__proto__', 'constructor'),
);
const awkwardNumber = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(1, 2, 1.5, -0, 10_000, 10_001, 2 ** 53, Number.MAX_VALUE, 1e-300),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    awkwardNumber,
    awkwardString,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(awkwardString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** One change to a JSON document, at a random depth. */
type Mutation = { path: number[]; action: 'delete' | 'replace' | 'add'; value: Json; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }),
  action: fc.constantFrom('delete', 'replace', 'add'),
  value: jsonValue,
  key: awkwardString,
});

function mutate(document: Json, change: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(document)) as Json;
  let node: Json = copy;
  for (const [depth, step] of change.path.entries()) {
    if (node === null || typeof node !== 'object') return copy;
    const keys = Array.isArray(node) ? [...node.keys()].map(String) : Object.keys(node);
    if (keys.length === 0) return copy;
    const key = keys[step % keys.length];
    const last = depth === change.path.length - 1;
    const container = node as Record<string, Json>;
    if (!last && container[key] !== null && typeof container[key] === 'object') {
      node = container[key];
      continue;
    }
    if (change.action === 'delete') delete container[key];
    else if (change.action === 'replace') container[key] = change.value;
    else if (!Array.isArray(node)) container[change.key] = change.value;
    return copy;
  }
  return copy;
}

/** A text-level change: truncation, or one character replaced or inserted. */
const textEdit = fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'replace', 'insert'), character: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) });

function editText(text: string, edit: { at: number; kind: string; character: string }): string {
  const at = edit.at % (text.length + 1);
  if (edit.kind === 'truncate') return text.slice(0, at);
  if (edit.kind === 'replace') return text.slice(0, at) + edit.character + text.slice(at + 1);
  return text.slice(0, at) + edit.character + text.slice(at);
}

const validHeader: fc.Arbitrary<PlanHeaderDocument> = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,79}$/),
    source: fc.constantFrom('s3://src-bucket/docs/', 's3://src-bucket/', 's3://shared-bucket/in/', 's3://shared-bucket/a/b/'),
    destination: fc.constantFrom('s3://dst-bucket/out/', 's3://dst-bucket/', 's3://shared-bucket/out/', 's3://shared-bucket/a/'),
    shardCount: fc.integer({ min: 1, max: MAX_SHARDS }),
    perFile: fc.boolean(),
  })
  .map(({ perFile, ...fields }) => sampleHeaderDocument({ ...fields, settings: { ...sampleHeaderDocument().settings, perFile } }));

/** Parses, and classifies the outcome; any exception other than PlanFormatError fails the test. */
function outcome<T>(parse: () => T): { ok: T } | { error: PlanFormatError } {
  try {
    return { ok: parse() };
  } catch (error) {
    if (error instanceof PlanFormatError) return { error };
    throw error;
  }
}

function expectClearError(error: PlanFormatError, what: string): void {
  expect(error.message.startsWith(what)).toBe(true);
  expect(error.message).not.toContain('\n');
  expect(error.message).toMatch(/is not valid JSON|has format version|: field "[^"]+" ./);
}

/** What a plan that parses must guarantee: every object a stage writes lies in its results folder. */
function expectWritesStayInDestination(header: PlanHeader, name: string, shardIndex: number): void {
  expect(planHeaderSchema.safeParse(planHeaderDocument(header)).success).toBe(true);
  const checked = outcome(() => assertPlanWritesOutsideSource(header));
  if ('error' in checked) return;
  const source = header.source;
  const destination = header.destination;
  const folder = resultsFolder(header);
  expect(isWithin(folder, destination)).toBe(true);
  for (const location of [shardResultLocation(header, shardIndex), planCopyLocation(header), mergeResultLocation(header), perFileLocation(header, name)]) {
    expect(isWithin(location, folder)).toBe(true);
    expect(isWithin(location, source)).toBe(false);
  }
}

describe('parsePlanHeader on any input', () => {
  it('answers random text with a plan or a clear error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = outcome(() => parsePlanHeader(text, WHAT));
        if ('error' in result) expectClearError(result.error, WHAT);
      }),
      { numRuns: 1000 },
    );
  });

  it('answers random JSON with a plan or a clear error', () => {
    fc.assert(
      fc.property(jsonValue, (document) => {
        const result = outcome(() => parsePlanHeader(JSON.stringify(document), WHAT));
        if ('error' in result) expectClearError(result.error, WHAT);
      }),
      { numRuns: 1000 },
    );
  });

  it('answers a mutated valid plan with a plan that keeps its writes in its destination, or a clear error', () => {
    fc.assert(
      fc.property(validHeader, fc.array(mutation, { maxLength: 3 }), awkwardString, fc.nat(MAX_SHARDS - 1), (header, changes, name, shardIndex) => {
        const document = changes.reduce<Json>((current, change) => mutate(current, change), header as unknown as Json);
        const result = outcome(() => parsePlanHeader(JSON.stringify(document), WHAT));
        if ('error' in result) expectClearError(result.error, WHAT);
        else if (name !== '') expectWritesStayInDestination(result.ok, name, shardIndex % result.ok.shardCount);
      }),
      { numRuns: 1500 },
    );
  });

  it('answers a valid plan with its text edited with a plan or a clear error', () => {
    fc.assert(
      fc.property(validHeader, fc.array(textEdit, { minLength: 1, maxLength: 3 }), (header, edits) => {
        const text = edits.reduce((current, edit) => editText(current, edit), JSON.stringify(header, null, 2));
        const result = outcome(() => parsePlanHeader(text, WHAT));
        if ('error' in result) expectClearError(result.error, WHAT);
        else expect(planHeaderSchema.safeParse(planHeaderDocument(result.ok)).success).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('never accepts a plan id that could leave its folder', () => {
    fc.assert(
      fc.property(validHeader, fc.string({ unit: fc.constantFrom('a', '-', '.', '/', '\\', '%', 'A', '0'), maxLength: 12 }), (header, id) => {
        const result = outcome(() => parsePlanHeader(JSON.stringify({ ...header, id }), WHAT));
        if ('ok' in result) expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
        else expect(result.error.message).toContain('field "id"');
      }),
      { numRuns: 500 },
    );
  });
});

describe('shard documents on any input', () => {
  const shardList = { version: 1, kind: 'wordbatch-shard-list', planId: 'p1-0123456789ab', shardIndex: 0, bytes: 10, items: [{ name: 'a.txt', size: 10, etag: 'abc' }] };
  const shardResult = {
    version: 1,
    kind: 'wordbatch-shard-result',
    planId: 'p1-0123456789ab',
    shardIndex: 3,
    tokenizer: 'whitespace',
    stats: { files: 1, bytes: 2, words: 3, distinctWords: 2, skipped: [{ name: 'x.bin', reason: 'binary' }] },
  };

  it.each([
    ['shard list', shardList, parseShardList],
    ['shard result', shardResult, parseShardResultHeader],
  ] as const)('answers a mutated %s with a document or a clear error', (what, valid, parse) => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.option(textEdit, { nil: undefined }), (changes, edit) => {
        const document = changes.reduce<Json>((current, change) => mutate(current, change), valid as unknown as Json);
        const text = edit === undefined ? JSON.stringify(document) : editText(JSON.stringify(document), edit);
        const result = outcome(() => parse(text, what));
        if ('error' in result) expectClearError(result.error, what);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parsePackedShardList on any input', () => {
  const shardList = {
    version: 2,
    kind: 'wordbatch-shard-list',
    planId: 'p1-0123456789ab',
    shardIndex: 0,
    bytes: 10,
    items: [
      { name: 'a.txt', size: 10, etag: 'abc' },
      { name: 'd\u00e9j\u00e0 "vu"/\u{1f600}.txt', size: 0, etag: 'def-2', versionId: 'v2.Ab_c' },
    ],
    skipped: [{ name: 'gone.txt', reason: 'missing' }],
  };
  const layouts = [(document: Json) => JSON.stringify(document), (document: Json) => JSON.stringify(document, null, 2)];

  /** The list with its items unpacked, or the error's message. */
  function answer(parse: () => { items: Iterable<unknown> }): unknown {
    const result = outcome(parse);
    return 'ok' in result ? { ...result.ok, items: [...result.ok.items] } : { error: result.error.message };
  }

  it('answers a mutated or edited shard list exactly as parseShardList does', () => {
    fc.assert(
      fc.property(
        fc.array(mutation, { maxLength: 3 }),
        fc.array(textEdit, { maxLength: 2 }),
        fc.constantFrom(...layouts),
        (changes, edits, layout) => {
          const document = changes.reduce<Json>((current, change) => mutate(current, change), shardList as unknown as Json);
          const text = edits.reduce((current, edit) => editText(current, edit), layout(document));
          expect(answer(() => parsePackedShardList(text, WHAT))).toEqual(answer(() => parseShardList(text, WHAT)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers random JSON exactly as parseShardList does', () => {
    fc.assert(
      fc.property(jsonValue, (document) => {
        const text = JSON.stringify(document);
        expect(answer(() => parsePackedShardList(text, WHAT))).toEqual(answer(() => parseShardList(text, WHAT)));
      }),
      { numRuns: 1000 },
    );
  });
});
