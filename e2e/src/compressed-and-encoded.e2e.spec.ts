import * as zlib from 'node:zlib';
import { putObjects, startTestS3, type TestS3 } from './harness';
import { runPipeline } from './reliability/runs';

/**
 * Compressed objects, mislabelled ones, broken ones and legacy encodings through plan,
 * migrate and merge, against an embedded S3 server (s3rver) started by this file. Every text
 * is made here; each compressed or encoded form must count exactly as its plain UTF-8 text.
 */

const SRC = 'packed-source';
const DST = 'packed-results';

const TEXTS = [
  'The fox’s den lies past the high-speed rail line; naïve hikers miss it.\nCafé owners say: it’s there, it’s there!\n',
  Array.from({ length: 4000 }, (_, index) => `Line ${index % 97} of the long log: status=${index % 7} user-${index % 13} ok`).join('\n'),
  'Grüße aus Köln — ¿qué tal? Déjà vu, façade, œuvre.\r\nA second line, and a third word.\n',
];

/** A zstd frame of "hello\n" (zstd 1.5, level 3): Node 20 cannot make one, so it is written out. */
const ZSTD_HELLO = Buffer.from('KLUv/SQGMQAAaGVsbG8KT/fKIw==', 'base64');
const zstdCompress = (zlib as unknown as { zstdCompressSync?: (bytes: Buffer) => Buffer }).zstdCompressSync;

function multiMember(bytes: Buffer): Buffer {
  // As log shippers append: members cut anywhere, even inside a character.
  const third = Math.floor(bytes.length / 3);
  return Buffer.concat([zlib.gzipSync(bytes.subarray(0, third)), zlib.gzipSync(bytes.subarray(third, 2 * third + 1)), zlib.gzipSync(bytes.subarray(2 * third + 1))]);
}

/** Every text plain, and again as each compressed form, some under a name that says otherwise. */
function packedCorpus(): Array<[string, Buffer]> {
  return TEXTS.flatMap((text, index): Array<[string, Buffer]> => {
    const bytes = Buffer.from(text);
    return [
      [`packed/t${index}.gz`, zlib.gzipSync(bytes)],
      [`packed/t${index}.multi.gz`, multiMember(bytes)],
      [`packed/t${index}.br`, zlib.brotliCompressSync(bytes)],
      [`packed/t${index}-gzip-named.txt`, zlib.gzipSync(bytes)],
      [`packed/t${index}-brotli-named.log`, zlib.brotliCompressSync(bytes)],
      [`packed/t${index}-plain-named.gz`, bytes],
      ...(zstdCompress ? [[`packed/t${index}.zst`, zstdCompress(bytes)] as [string, Buffer]] : []),
    ];
  });
}

/** Texts within Latin-1 (ISO-8859-1), for the Latin-1 objects. */
const LATIN1_TEXTS = ['Grüße aus Köln, ¿qué tal? Déjà vu, façade.\r\nA second line, and a third word.\n', 'Café, naïve, façade: déjà vu.\n'];

/** Windows-1252 bytes of the characters above U+00FF that the texts use (its published table). */
const CP1252_HIGH: Record<string, number> = { '’': 0x92, '—': 0x97, 'œ': 0x9c, '“': 0x93, '”': 0x94, '€': 0x80 };

function windows1252(text: string): Buffer {
  return Buffer.from([...text].map((char) => CP1252_HIGH[char] ?? char.charCodeAt(0)));
}

function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Shift_JIS bytes of a few words (JIS X 0208 as Shift_JIS encodes it). */
const SJIS_WORDS: Array<[string, number[]]> = [
  ['日本語', [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]],
  ['テスト', [0x83, 0x65, 0x83, 0x58, 0x83, 0x67]],
  ['abc', [0x61, 0x62, 0x63]],
];

let s3: TestS3;

interface MergeJson {
  words: Array<{ word: string; count: number }>;
  skipped: Array<{ name: string; reason: string; detail?: string }>;
  invalidText: Array<{ name: string; invalidSequences: number }>;
  totals: { files: number; skippedFiles: number; skippedByReason: Record<string, number>; objectsWithInvalidSequences: number };
}

async function counted(prefix: string, name: string, planFlags: string[] = []): Promise<{ result: MergeJson; stderr: string }> {
  const runs = await runPipeline(
    { source: `s3://${SRC}/${prefix}/`, destination: `s3://${DST}/out-${name}/`, plan: `s3://${DST}/plans/${name}.json`, shards: 2, planFlags },
    s3.server.env,
  );
  expect([runs.plan.code, ...runs.migrate.map((run) => run.code), runs.merge.code]).toEqual([0, 0, 0, 0]);
  return { result: JSON.parse(runs.merge.stdout) as MergeJson, stderr: runs.merge.stderr };
}

/** Counts with each word's count divided by `copies`: the packed prefix holds each text several times. */
function perCopy(result: MergeJson, copies: number): Array<[string, number]> {
  return result.words.map(({ word, count }) => [word, count / copies] as [string, number]).sort(([a], [b]) => (a < b ? -1 : 1));
}

beforeAll(async () => {
  s3 = await startTestS3([SRC, DST]);
  const plain = TEXTS.map((text, index): [string, Buffer] => [`plain/t${index}.txt`, Buffer.from(text)]);
  const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 'a '));
  const gzip = zlib.gzipSync(Buffer.from(TEXTS[1]));
  const badCrc = Buffer.from(gzip);
  badCrc[badCrc.length - 6] ^= 0xff;
  await putObjects(s3.store, SRC, [
    ...plain,
    ...packedCorpus(),
    ['zstd/hello.zst', ZSTD_HELLO],
    ['bad/good.txt', Buffer.from('good words here')],
    ['bad/truncated.gz', gzip.subarray(0, Math.floor(gzip.length / 2))],
    ['bad/bad-checksum.gz', badCrc],
    ['bad/truncated.br', zlib.brotliCompressSync(Buffer.from(TEXTS[1])).subarray(0, 300)],
    ['bad/bomb.gz', bomb],
    ['utf8/t0.txt', Buffer.from(TEXTS[0] + TEXTS[2])],
    ['latin1/t0.txt', latin1(LATIN1_TEXTS[0])],
    ['latin1/t1.txt', latin1(LATIN1_TEXTS[1])],
    ['latin1-as-utf8/t0.txt', Buffer.from(LATIN1_TEXTS.join(''))],
    ['cp1252/t0.txt', windows1252(TEXTS[0] + TEXTS[2] + '“Quoted” costs 5 €.\n')],
    ['cp1252-as-utf8/t0.txt', Buffer.from(TEXTS[0] + TEXTS[2] + '“Quoted” costs 5 €.\n')],
    ['sjis/t0.txt', Buffer.from(SJIS_WORDS.flatMap(([, bytes]) => [...bytes, 0x20]))],
    ['sjis-as-utf8/t0.txt', Buffer.from(SJIS_WORDS.map(([word]) => `${word} `).join(''))],
  ]);
});

afterAll(async () => {
  await s3?.stop();
});

describe('compressed objects are counted as their text', () => {
  it.each(['unicode', 'whitespace'])('under the %s tokenizer, each form counts as the plain text', async (tokenizer) => {
    const { result: plain } = await counted('plain', `plain-${tokenizer}`, ['--tokenizer', tokenizer]);
    const { result: packed, stderr } = await counted('packed', `packed-${tokenizer}`, ['--tokenizer', tokenizer]);
    const forms = packedCorpus().length / TEXTS.length;
    expect(perCopy(packed, forms)).toEqual(perCopy(plain, 1));
    expect(packed.totals.files).toBe(packedCorpus().length);
    expect(packed.skipped).toEqual([]);
    expect(stderr).not.toContain('skipped');
  });

  it('skips zstd with its reason on a runtime without it, and counts it on one with it', async () => {
    const { result, stderr } = await counted('zstd', 'zstd');
    if (zstdCompress) {
      expect(result.words).toEqual([{ word: 'hello', count: 1 }]);
    } else {
      expect(result.skipped).toEqual([
        { name: 'hello.zst', reason: 'compressed-unsupported', detail: expect.stringMatching(/^zstd not supported by this runtime/) },
      ]);
      expect(stderr).toContain('1 objects skipped (compressed-unsupported 1)');
    }
  });

  it('skips corrupt, truncated and bomb objects with their reasons, counting the rest (exit 0)', async () => {
    const { result, stderr } = await counted('bad', 'bad', ['--max-expansion', '100']);
    expect(result.words.map(({ word }) => word).sort()).toEqual(['good', 'here', 'words']);
    expect(result.skipped.map(({ name, reason }) => [name, reason])).toEqual([
      ['bad-checksum.gz', 'corrupt-compressed'],
      ['bomb.gz', 'too-large-after-expansion'],
      ['truncated.br', 'corrupt-compressed'],
      ['truncated.gz', 'corrupt-compressed'],
    ]);
    expect(result.totals.skippedByReason).toMatchObject({ 'corrupt-compressed': 3, 'too-large-after-expansion': 1, binary: 0 });
    expect(stderr).toContain('4 objects skipped (corrupt-compressed 3, too-large-after-expansion 1): listed under "skipped" in s3://');
  });
});

describe('named encodings are decoded before counting', () => {
  it.each([
    ['latin1', 'latin1-as-utf8', 'latin1'],
    ['cp1252', 'cp1252-as-utf8', 'windows-1252'],
    ['sjis', 'sjis-as-utf8', 'shift_jis'],
  ])('%s counts as its UTF-8 conversion', async (prefix, utf8Prefix, label) => {
    const { result: decoded } = await counted(prefix, `${prefix}-decoded`, ['--encoding', label]);
    const { result: reference } = await counted(utf8Prefix, `${prefix}-reference`);
    expect(decoded.words).toEqual(reference.words);
    expect(decoded.totals.objectsWithInvalidSequences).toBe(0);
  });

  it('read as UTF-8, Latin-1 bytes are counted as U+FFFD, and merge warns naming the objects', async () => {
    const { result, stderr } = await counted('latin1', 'latin1-as-utf8-wrong');
    expect(result.invalidText.map(({ name }) => name)).toEqual(['t0.txt', 't1.txt']);
    expect(result.totals.objectsWithInvalidSequences).toBe(2);
    expect(stderr).toMatch(/warning: 2 objects had byte sequences invalid in utf-8 \(\d+ in all, each counted as U\+FFFD\): "t0.txt", "t1.txt"/);
  });

  it('with --strict-encoding, skips them instead', async () => {
    const { result } = await counted('latin1', 'latin1-strict', ['--strict-encoding']);
    expect(result.skipped.map(({ name, reason }) => [name, reason])).toEqual([
      ['t0.txt', 'invalid-encoding'],
      ['t1.txt', 'invalid-encoding'],
    ]);
    expect(result.words).toEqual([]);
  });
});
