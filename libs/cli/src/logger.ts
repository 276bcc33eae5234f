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

/** Query parameters of a presigned URL that would let a reader act as the signer. */
const SIGNED_URL_PARAMS = /([?&](?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|AWSAccessKeyId)=)[^&\s"]+/gi;

/** Removes signatures and credentials from text that may quote a request URL. */
export function redactSecrets(text: string): string {
  return text.replace(SIGNED_URL_PARAMS, '$1[Redacted]');
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
  const destination = options.pretty ? prettyStream(options.destination) : options.destination;
  return pino(
    {
      level: env['LOG_LEVEL'] ?? 'info',
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'event',
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
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
