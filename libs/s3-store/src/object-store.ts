import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { InputChangedError, retryDelayMs, retrying, type StageError, TransientError } from '@wordbatch/errors';
import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import { DirectGet } from './direct-get';
import { listFannedOut, type FanOutOptions, type ListPage, type ListRequest } from './fan-out-listing';
import { listObjectsV2Query, listResponseOf, parseListPageXml, rawListPageOfSdk, type RawListPage } from './list-page-xml';
import { toStageError } from './errors';
import { unquoteEtag, type ListedObject } from './listed-object';
import { assertWritableKey, decodeListedKey } from './keys';
import { BODY_READ_ATTEMPTS } from './retry';

export type { ListedObject } from './listed-object';
export { unquoteEtag } from './listed-object';

/** Requests this store has made, by kind: what S3 bills a run for (a retried request counts once here). */
export interface RequestCounts {
  list: number;
  get: number;
  put: number;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
  /** Read only this version: S3 answers 412 otherwise, and the ETag is checked again on arrival. */
  readonly ifMatch?: string;
  /** Read only these bytes (inclusive start, exclusive end), to resume an interrupted read. */
  readonly range?: { readonly start: number; readonly end?: number };
  /** Read this version of the object (S3 versioning), not the latest. */
  readonly versionId?: string;
}

/** What HeadObject says of an object. */
export interface ObjectHead {
  readonly size: number;
  /** Without the surrounding quotes. */
  readonly etag: string;
}

export interface OpenedObject {
  readonly body: Readable;
  readonly etag: string;
  readonly size: number;
  /** The object's Content-Encoding metadata (e.g. `gzip`, `br`): the body is still the stored bytes. */
  readonly contentEncoding?: string;
}


/** A transient failure after the response began: worth reading the object again. */
class BodyBrokenError extends Error {
  constructor(readonly stageError: StageError) {
    super(stageError.message);
  }
}

/** Bodies above this go through a multipart upload instead of one PUT. */
const SINGLE_PUT_LIMIT = 16 * 1024 * 1024;


/**
 * The stages' whole view of S3: list, stream, put. Every failure leaves here as a
 * StageError naming the object, so the apps never see SDK exceptions.
 */
export class ObjectStore {
  /** The GET path: most of the stages' requests, so it skips the SDK's per-request cost. */
  private readonly direct: DirectGet;
  readonly requests: RequestCounts = { list: 0, get: 0, put: 0 };

  constructor(readonly client: S3Client) {
    this.direct = new DirectGet(client);
  }

  /**
   * Every object below `folder` (recursively, all pages), in key order. Pages are fetched by
   * hand rather than with the SDK paginator, which cannot pass an abort signal: a SIGTERM
   * must end a listing request in flight, not wait for it.
   */
  async *list(folder: S3Path, signal?: AbortSignal): AsyncGenerator<ListedObject> {
    for await (const page of this.listPages(folder, { signal })) yield* page;
  }

  /**
   * The objects below `folder` a page at a time, in key order. With `fanOut`, the folder's
   * sub-folders are listed side by side (fan-out-listing.ts): same objects, same order.
   */
  async *listPages(folder: S3Path, options: { signal?: AbortSignal; fanOut?: FanOutOptions } = {}): AsyncGenerator<readonly ListedObject[]> {
    const signal = options.signal ?? new AbortController().signal;
    const fanOut = options.fanOut ?? { concurrency: 1, depth: 0, width: 1, maxBuffered: 0 };
    try {
      yield* listFannedOut(this.pageLister(folder.bucket), folder.key, fanOut, signal);
    } catch (error) {
      throw toStageError(error, formatS3Path(folder), options.signal);
    }
  }

  /**
   * One ListObjectsV2 request, keys decoded: what the listing walk is built on. Sent signed
   * over plain HTTP and read by list-page-xml.ts; a page that reader does not take (not in
   * S3's usual shape), or an endpoint DirectGet cannot sign for, goes through the SDK, so
   * every page reads as the SDK reads it.
   */
  private pageLister(bucket: string): ListPage {
    return async (request, signal) => {
      this.requests.list++;
      const body = await this.direct.listBucket(bucket, listObjectsV2Query(request), signal);
      const page = body === undefined ? undefined : parseListPageXml(body);
      return listResponseOf(page ?? (await this.sdkListPage(bucket, request, signal)));
    };
  }

  private async sdkListPage(bucket: string, request: ListRequest, signal: AbortSignal): Promise<RawListPage> {
    const output = await this.client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: request.prefix,
        Delimiter: request.delimited ? '/' : undefined,
        StartAfter: request.startAfter,
        ContinuationToken: request.continuationToken,
        EncodingType: 'url',
      }),
      { abortSignal: signal },
    );
    return rawListPageOfSdk(output);
  }

  /** The immediate sub-folders of `folder` (keys ending in `/`). */
  async listFolders(folder: S3Path, signal?: AbortSignal): Promise<string[]> {
    const folders: string[] = [];
    let token: string | undefined;
    try {
      do {
        this.requests.list++;
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: folder.bucket, Prefix: folder.key, Delimiter: '/', ContinuationToken: token, EncodingType: 'url' }),
          { abortSignal: signal },
        );
        for (const prefix of page.CommonPrefixes ?? []) if (prefix.Prefix) folders.push(decodeListedKey(prefix.Prefix, page.EncodingType));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw toStageError(error, formatS3Path(folder), signal);
    }
    return folders;
  }

  /** Opens an object as a stream; the caller must consume or destroy `body`. */
  async open(path: S3Path, options: ReadOptions = {}): Promise<OpenedObject> {
    const what = formatS3Path(path);
    const range = options.range ? `bytes=${options.range.start}-${options.range.end === undefined ? '' : options.range.end - 1}` : undefined;
    const ifMatch = options.ifMatch === undefined ? undefined : `"${options.ifMatch}"`;
    let opened: OpenedObject;
    this.requests.get++;
    try {
      opened =
        (await this.openDirect(path, ifMatch, range, options.versionId, options.signal)) ??
        (await this.openWithSdk(path, ifMatch, range, options.versionId, options.signal));
    } catch (error) {
      throw toStageError(error, what, options.signal);
    }
    if (options.ifMatch !== undefined && opened.etag !== options.ifMatch) {
      opened.body.destroy();
      throw new InputChangedError(`${what} changed since it was planned (ETag differs); re-run plan`);
    }
    return opened;
  }

  private async openDirect(
    path: S3Path,
    ifMatch: string | undefined,
    range: string | undefined,
    versionId: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<OpenedObject | undefined> {
    const headers: Record<string, string> = {};
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    if (range !== undefined) headers['range'] = range;
    const response = await this.direct.get(path, { signal, headers, versionId });
    if (response === undefined) return undefined;
    const etag = response.headers.etag;
    const contentEncoding = response.headers['content-encoding'];
    return { body: response, etag: unquoteEtag(etag), size: Number(response.headers['content-length'] ?? 0), contentEncoding };
  }

  private async openWithSdk(
    path: S3Path,
    ifMatch: string | undefined,
    range: string | undefined,
    versionId: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<OpenedObject> {
    const response = await this.client.send(
      new GetObjectCommand({ Bucket: path.bucket, Key: path.key, IfMatch: ifMatch, Range: range, VersionId: versionId }),
      { abortSignal: signal },
    );
    return {
      body: response.Body as Readable,
      etag: unquoteEtag(response.ETag),
      size: response.ContentLength ?? 0,
      contentEncoding: response.ContentEncoding,
    };
  }

  /**
   * The size and ETag of an object (of one version of it, given `versionId`), or undefined
   * when S3 says it does not exist (404: no such key, or no such version). Any other
   * failure leaves as the StageError naming the object.
   */
  async head(path: S3Path, options: { signal?: AbortSignal; versionId?: string } = {}): Promise<ObjectHead | undefined> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: path.bucket, Key: path.key, VersionId: options.versionId }), {
        abortSignal: options.signal,
      });
      return { size: response.ContentLength ?? 0, etag: unquoteEtag(response.ETag) };
    } catch (error) {
      const shape = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
      if (!options.signal?.aborted && (shape?.$metadata?.httpStatusCode === 404 || shape?.name === 'NotFound')) return undefined;
      const what = options.versionId === undefined ? formatS3Path(path) : `${formatS3Path(path)} version ${options.versionId}`;
      throw toStageError(error, what, options.signal);
    }
  }

  /** Closes the client and every connection this store opened. */
  destroy(): void {
    this.direct.destroy();
    this.client.destroy();
  }

  /**
   * Reads a small object (a plan, a shard list) whole, refusing anything over `maxBytes`.
   * A connection that breaks mid-body (the SDK retries requests, not bodies) is read again
   * from the start, a few times.
   */
  async readText(path: S3Path, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<string> {
    try {
      return await retrying(
        BODY_READ_ATTEMPTS,
        () => this.readTextOnce(path, options),
        (error, retry) => (error instanceof BodyBrokenError ? retryDelayMs(retry) : undefined),
        options.signal,
      );
    } catch (error) {
      throw error instanceof BodyBrokenError ? error.stageError : error;
    }
  }

  private async readTextOnce(path: S3Path, options: { signal?: AbortSignal; maxBytes?: number }): Promise<string> {
    const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    const { body } = await this.open(path, { signal: options.signal });
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        length += chunk.length;
        if (length > maxBytes) {
          throw new InputChangedError(`${formatS3Path(path)} is larger than ${maxBytes} bytes`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      const stageError = toStageError(error, formatS3Path(path), options.signal);
      throw stageError instanceof TransientError ? new BodyBrokenError(stageError) : stageError;
    } finally {
      body.destroy();
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Writes an object in one PUT: readers see all of it or none of it. */
  async put(path: S3Path, body: string | Uint8Array, options: { signal?: AbortSignal; contentType?: string } = {}): Promise<void> {
    assertWritableKey(path);
    this.requests.put++;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: path.bucket,
          Key: path.key,
          Body: body,
          // Stated, so that an empty body is not mistaken for a stream of unknown length.
          ContentLength: typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength,
          ContentType: options.contentType ?? 'text/plain; charset=utf-8',
        }),
        { abortSignal: options.signal },
      );
    } catch (error) {
      throw toStageError(error, formatS3Path(path), options.signal);
    }
  }

  /**
   * Writes an object from chunks without holding it whole: small bodies are gathered into
   * one PUT, larger ones become a multipart upload, which S3 makes visible only on completion.
   */
  async putChunks(
    path: S3Path,
    chunks: Iterable<string | Uint8Array>,
    options: { signal?: AbortSignal; contentType?: string } = {},
  ): Promise<void> {
    assertWritableKey(path);
    const buffered: Buffer[] = [];
    let size = 0;
    const iterator = chunks[Symbol.iterator]();
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : Buffer.from(next.value);
      buffered.push(chunk);
      size += chunk.length;
      if (size > SINGLE_PUT_LIMIT) return this.upload(path, buffered, iterator, options);
    }
    return this.put(path, Buffer.concat(buffered), options);
  }

  private async upload(
    path: S3Path,
    head: Buffer[],
    rest: Iterator<string | Uint8Array>,
    options: { signal?: AbortSignal; contentType?: string },
  ): Promise<void> {
    function* all(): Generator<Buffer> {
      yield* head;
      for (let next = rest.next(); !next.done; next = rest.next()) {
        yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : Buffer.from(next.value);
      }
    }
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: path.bucket,
        Key: path.key,
        Body: Readable.from(all()),
        ContentType: options.contentType ?? 'text/plain; charset=utf-8',
      },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    const abort = () => void upload.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await upload.done();
    } catch (error) {
      throw toStageError(error, formatS3Path(path), options.signal);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /** Uploads a local file, streaming it when it is large. */
  async putFile(path: S3Path, localFile: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    assertWritableKey(path);
    const { size } = await stat(localFile);
    if (size <= SINGLE_PUT_LIMIT) return this.put(path, await readFile(localFile), options);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: path.bucket, Key: path.key, Body: createReadStream(localFile) },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw toStageError(error, formatS3Path(path), options.signal);
    }
  }

  /** Creates a bucket (the local run's embedded server starts empty). */
  async createBucket(bucket: string): Promise<void> {
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
      throw toStageError(error, `s3://${bucket}`);
    }
  }
}
