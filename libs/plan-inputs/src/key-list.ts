import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { UsageError } from '@wordbatch/errors';
import { asFolder, formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { decodeUrlEncodedKey, type ObjectStore } from '@wordbatch/s3-store';
import { z } from 'zod';
import type { NamedObject } from './input';
import { openInputBytes, textLines } from './text-stream';

export type KeyListFormat = 'csv' | 'jsonl' | 'txt';

const FLAG = '--keys';

/** The format a key list's name says (`list.csv`, `list.jsonl.gz`, …), or undefined for any other name. */
export function keyListFormat(list: S3Path): KeyListFormat | undefined {
  const match = /\.(csv|jsonl|txt)(\.gz)?$/.exec(list.key);
  return match?.[1] as KeyListFormat | undefined;
}

/**
 * The objects a key list names, streamed (a list may hold millions of lines):
 *
 * - `.csv`: `bucket,key[,versionId]`, no header: the S3 Batch Operations manifest format
 *   (S3BatchOperations_CSV_20180820), whose keys are URL-encoded;
 * - `.jsonl`: one `{"bucket": …, "key": …, "versionId"?: …}` a line, the key as it is
 *   (JSON escapes carry any character); other fields are ignored;
 * - `.txt`: one key a line, as it is, relative to `source`: a key holding a line feed cannot
 *   be written this way (use CSV or JSONL).
 *
 * Blank lines are skipped; `.gz` lists are gunzipped as they arrive.
 */
export async function* readKeyList(
  store: ObjectStore,
  list: S3Path,
  source: S3Path | undefined,
  signal?: AbortSignal,
): AsyncGenerator<NamedObject> {
  const format = keyListFormat(list);
  const uri = formatS3Path(list);
  if (format === undefined) {
    throw new UsageError(`${FLAG} ${uri}: the name must end in .csv, .jsonl or .txt (optionally .gz), which says its format`);
  }
  if (format === 'txt' && source === undefined) {
    throw new UsageError(`${FLAG} ${uri}: a .txt list holds bare keys; give --source s3://BUCKET/PREFIX/ they are relative to`);
  }
  if (format !== 'txt' && source !== undefined) {
    throw new UsageError(`--source cannot be combined with ${FLAG} ${uri}: a .${format} list names each object's bucket and key (only a .txt list is relative to --source)`);
  }
  const bytes = await openInputBytes(store, list, { signal, flag: FLAG });
  if (format === 'csv') yield* csvObjects(bytes, uri);
  else if (format === 'jsonl') yield* jsonlObjects(bytes, uri);
  else yield* txtObjects(bytes, uri, asFolder(source as S3Path));
}

async function* csvObjects(bytes: AsyncIterable<Buffer>, uri: string): AsyncGenerator<NamedObject> {
  for await (const { record, line } of csvRecords(bytes, `${FLAG} ${uri}`)) {
    const where = `${FLAG} ${uri} line ${line}`;
    if (record.length < 2 || record.length > 3) {
      throw new UsageError(`${where}: has ${record.length} field(s); expected bucket,key[,versionId] (the S3 Batch Operations CSV manifest format)`);
    }
    const [bucket, encodedKey, versionId] = record;
    yield { bucket, key: decodeKey(encodedKey, where), versionId: versionId === undefined || versionId === '' ? undefined : versionId, where };
  }
}

/**
 * The records of a CSV text (RFC 4180: quoted fields may hold commas, quotes and line
 * breaks; records end in CRLF, LF or CR, mixed in one text), each with the line it ends on.
 * Stopping early destroys the parser (as leaving a stream's async iteration does), and the
 * pipeline then the source stream.
 */
export async function* csvRecords(bytes: AsyncIterable<Buffer>, what: string): AsyncGenerator<{ record: string[]; line: number }> {
  // The line ends named, not detected: csv-parse otherwise takes the first record's and reads
  // every other kind as part of a field, so a CRLF line then LF lines became one record.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, record_delimiter: ['\r\n', '\n', '\r'] });
  pipeline(Readable.from(bytes, { objectMode: false }), parser, () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { record, line: info.lines };
    }
  } catch (error) {
    throw asCsvError(error, what);
  }
}

/** csv-parse's own errors (an unclosed quote, …) become usage errors naming the list; others pass. */
function asCsvError(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    return new UsageError(`${what}: not valid CSV (${(error as Error).message.split('\n')[0]})`);
  }
  return error;
}

const jsonlLine = z.looseObject({
  bucket: z.string().min(1),
  key: z.string().min(1),
  versionId: z.string().min(1).optional(),
});

async function* jsonlObjects(bytes: AsyncIterable<Buffer>, uri: string): AsyncGenerator<NamedObject> {
  for await (const { line, number } of textLines(bytes, `${FLAG} ${uri}`)) {
    if (line.trim() === '') continue;
    const where = `${FLAG} ${uri} line ${number}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UsageError(`${where}: not valid JSON; expected {"bucket": …, "key": …, "versionId"?: …}`);
    }
    // reportInput: without it zod leaves `input` off every issue, and a field of the wrong type read as missing.
    const parsed = jsonlLine.safeParse(json, { reportInput: true });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'the line';
      throw new UsageError(`${where}: ${field} ${issue.input === undefined && issue.path.length > 0 ? 'is missing' : issue.message.toLowerCase()}`);
    }
    yield { bucket: parsed.data.bucket, key: parsed.data.key, versionId: parsed.data.versionId, where };
  }
}

async function* txtObjects(bytes: AsyncIterable<Buffer>, uri: string, source: S3Path): AsyncGenerator<NamedObject> {
  for await (const { line, number } of textLines(bytes, `${FLAG} ${uri}`)) {
    if (line === '') continue;
    yield { bucket: source.bucket, key: `${source.key}${line}`, where: `${FLAG} ${uri} line ${number}` };
  }
}

export function decodeKey(encoded: string, where: string): string {
  try {
    return decodeUrlEncodedKey(encoded);
  } catch {
    throw new UsageError(`${where}: key ${JSON.stringify(encoded)} is not validly URL-encoded (a % not followed by two hex digits of UTF-8)`);
  }
}
