import type { ProxiedRequest } from './fault-proxy';

/**
 * S3's request-rate limit, for the fault proxy's `answerWith` rule. S3 scales to at least
 * 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per partitioned prefix,
 * and answers past that with `503 Slow Down` (AWS: "Best practices design patterns:
 * optimizing Amazon S3 performance", and the SlowDown entry of "Error responses"). Here each
 * prefix (the bucket and the key up to its last `/`; for a listing, its `prefix` parameter)
 * gets a token bucket per class, holding one second's worth, refilled continuously; a request
 * that finds it empty is answered 503 SlowDown. The rates are the test's, scaled down so that
 * a few dozen processes on two cores can exceed them.
 */
export interface PrefixRates {
  /** GET, HEAD and listings, per second per prefix. */
  readonly readsPerSecond: number;
  /** PUT, POST and DELETE, per second per prefix. */
  readonly writesPerSecond: number;
}

export interface PrefixThrottle {
  readonly answerWith: (request: ProxiedRequest) => { status: number; code: string; message: string } | undefined;
  /** Requests answered 503 SlowDown, by prefix. */
  readonly throttled: Map<string, number>;
}

export function throttlePerPrefix(rates: PrefixRates, now: () => number = () => performance.now()): PrefixThrottle {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const throttled = new Map<string, number>();
  return {
    throttled,
    answerWith(request) {
      const reads = request.method === 'GET' || request.method === 'HEAD';
      const perSecond = reads ? rates.readsPerSecond : rates.writesPerSecond;
      const prefix = prefixOf(request);
      const id = `${reads ? 'read' : 'write'} ${prefix}`;
      const time = now();
      const bucket = buckets.get(id) ?? { tokens: perSecond, at: time };
      bucket.tokens = Math.min(perSecond, bucket.tokens + ((time - bucket.at) / 1000) * perSecond);
      bucket.at = time;
      buckets.set(id, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      throttled.set(prefix, (throttled.get(prefix) ?? 0) + 1);
      return { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
    },
  };
}

function prefixOf(request: ProxiedRequest): string {
  const key = request.key !== '' ? request.key : (new URL(request.rawPath, 'http://proxy.invalid').searchParams.get('prefix') ?? '');
  return `${request.bucket}/${key.slice(0, key.lastIndexOf('/') + 1)}`;
}
