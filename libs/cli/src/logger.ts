import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Fields that must never reach a log line, wherever they appear one or two levels deep. */
const REDACTED_PATHS = [
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'credentials',
  'authorization',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.credentials',
  '*.authorization',
  '*.Authorization',
  '*.headers',
];

/**
 * Query parameters of a presigned URL, and the parts of a SigV4 `Authorization` header, that
 * would let a reader act as the signer (or name the key that signed).
 */
const SIGNED_URL_PARAMS = /((?:^|[?&,\s;])(?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|Credential|AWSAccessKeyId)=)[^&\s",;]+/gi;

/** The environment variables whose values are secrets wherever they turn up. */
const SECRET_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_ACCESS_KEY_ID'];

/** The credential values in `env`, to be removed from anything written out. */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return SECRET_VARIABLES.map((name) => env[name] ?? '').filter((value) => value.length >= 4);
}

/**
 * Removes signatures and credentials from text that may quote a request URL or header, and
 * every occurrence of the given secret values (the process's own credentials).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text.replace(SIGNED_URL_PARAMS, '$1[Redacted]');
  for (const secret of secrets) redacted = redacted.split(secret).join('[Redacted]');
  return redacted;
}

export interface LoggerOptions {
  readonly stage: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly destination: NodeJS.WritableStream;
  /** Human-readable lines instead of JSON (a terminal); JSON otherwise (CloudWatch). */
  readonly pretty?: boolean;
}

/**
 * A pino logger writing to the given stream (stderr in the stages). Every line carries
 * the AWS Batch job id, attempt and array index when the job runs on Batch, so a line
 * in CloudWatch can be traced back to its array child.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { env } = options;
  const base: Record<string, string | number> = { stage: options.stage };
  if (env['AWS_BATCH_JOB_ID']) base['batchJobId'] = env['AWS_BATCH_JOB_ID'];
  if (env['AWS_BATCH_JOB_ATTEMPT']) base['batchAttempt'] = Number(env['AWS_BATCH_JOB_ATTEMPT']);
  if (env['AWS_BATCH_JOB_ARRAY_INDEX']) base['arrayIndex'] = Number(env['AWS_BATCH_JOB_ARRAY_INDEX']);
  // Redacting the serialized lines, not only known fields, also covers an error's message or
  // a nested value that quotes a signed URL or the process's own keys.
  const redacted = redactingStream(options.destination, secretValuesOf(env));
  const destination = options.pretty ? prettyStream(redacted) : redacted;
  return pino(
    {
      level: env['LOG_LEVEL'] ?? 'info',
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'event',
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

function redactingStream(out: NodeJS.WritableStream, secrets: readonly string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.write(redactSecrets(chunk.toString('utf8'), secrets));
      done();
    },
  });
}

/** `12:00:01 INFO  Plan:Listed files=3 bytes=1200` for a person at a terminal. */
function prettyStream(out: NodeJS.WritableStream): Writable {
  const skipped = new Set(['time', 'level', 'event', 'stage', 'pid', 'hostname']);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        const fields = Object.entries(record)
          .filter(([key]) => !skipped.has(key))
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
        const time = String(record['time']).slice(11, 19);
        const level = String(record['level']).toUpperCase().padEnd(5);
        out.write(`${time} ${level} ${String(record['event'])} ${fields.join(' ')}\n`);
      }
      done();
    },
  });
}
