import { AccessDeniedError, InputChangedError, StageError, TerminatedError, TransientError } from '@wordbatch/errors';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const MISSING = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);
const CHANGED = new Set(['PreconditionFailed']);
const ACCESS = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
  'AccountProblem',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * Turns an SDK or network error about `what` (an S3 URI, usually) into the stage error a
 * user can act on. The SDK has already retried what it considers retryable, so a
 * throttling or server error reaching us is reported as transient: the job may be re-run.
 */
export function toStageError(error: unknown, what: string, signal?: AbortSignal): StageError {
  if (error instanceof StageError) return error;
  if (signal?.aborted) return new TerminatedError(signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? '';
  const status = shape.$metadata?.httpStatusCode;
  const detail = shape.message ? `: ${shape.message.split('\n')[0]}` : '';
  if (name === 'NoSuchBucket') {
    return new InputChangedError(`bucket of ${what} does not exist`, { cause: error });
  }
  if (MISSING.has(name) || status === 404) {
    return new InputChangedError(`${what} does not exist`, { cause: error });
  }
  if (CHANGED.has(name) || status === 412) {
    return new InputChangedError(`${what} changed since it was planned (ETag differs); re-run plan`, {
      cause: error,
    });
  }
  if (ACCESS.has(name) || status === 403 || status === 401) {
    return new AccessDeniedError(`access denied to ${what} (${name || status})${detail}`, { cause: error });
  }
  if (name === 'AbortError' || name === 'TimeoutError' || NETWORK_CODES.has(shape.code ?? '') || NETWORK_CODES.has(name)) {
    return new TransientError(`could not reach S3 for ${what} (${shape.code ?? name})${detail}`, { cause: error });
  }
  if (status !== undefined && (status >= 500 || status === 429)) {
    return new TransientError(`S3 kept failing for ${what} (${name || status})${detail}`, { cause: error });
  }
  if (status !== undefined && status >= 400) {
    return new InputChangedError(`S3 refused the request for ${what} (${name || status})${detail}`, { cause: error });
  }
  return new TransientError(`S3 request for ${what} failed (${name || 'unknown error'})${detail}`, { cause: error });
}
