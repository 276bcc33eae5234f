import { parseS3Path, S3PathError, type S3Path } from '@wordbatch/s3-path';
import { CommandLineError } from '@wordbatch/errors';

/** The value of a required flag, or a usage error naming it. */
export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CommandLineError(`--${flag} is required`);
  return value;
}

/** Parses a whole number in [min, max], naming the flag on failure. */
export function parseIntegerFlag(value: string, flag: string, min: number, max: number): number {
  const text = value.trim();
  if (/^-\d+$/.test(text)) throw new CommandLineError(`--${flag} must be between ${min} and ${max}, got ${text}`);
  if (!/^\d+$/.test(text)) {
    throw new CommandLineError(`--${flag} must be a whole number, got "${value}"`);
  }
  const parsed = Number(text);
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new CommandLineError(`--${flag} must be between ${min} and ${max}, got ${value}`);
  }
  return parsed;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Parses a byte size such as `4GiB`, `512M`, `100k` or `1048576` (units are binary). */
export function parseSizeFlag(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value);
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new CommandLineError(`--${flag} must be a size such as 512MiB or 4GiB, got "${value}"`);
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes < 1) throw new CommandLineError(`--${flag} must be at least 1 byte, got "${value}"`);
  // Above 2^53 a byte count is no longer exact (and no object is that large: S3's limit is 5 TiB).
  if (!Number.isSafeInteger(bytes)) throw new CommandLineError(`--${flag} must be less than 8PiB, got "${value}"`);
  return bytes;
}

/** Checks a value against a fixed set of choices. */
export function parseChoiceFlag<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new CommandLineError(`--${flag} must be one of ${choices.join(', ')}, got "${value}"`);
}

/** Parses a required `s3://bucket/key` flag, naming the flag on failure. */
export function parseS3Flag(value: string | undefined, flag: string): S3Path {
  try {
    return parseS3Path(requireFlag(value, flag));
  } catch (error) {
    if (error instanceof S3PathError) throw new CommandLineError(`--${flag}: ${error.message}`);
    throw error;
  }
}
