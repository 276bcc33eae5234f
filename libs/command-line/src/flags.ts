import { parseArgs } from 'node:util';
import { parseS3Path, S3PathError, type S3Path } from '@wordbatch/s3-path';
import { CommandLineError } from '@wordbatch/errors';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean | undefined
  : S['multiple'] extends true
    ? string[] | undefined
    : string | undefined;

export type ParsedFlags<S extends FlagSpecs> = { -readonly [K in keyof S]: FlagValue<S[K]> } & {
  help?: boolean;
};

/**
 * Parses `--flag value` / `--flag=value` arguments strictly: unknown flags, missing values
 * and positional arguments are usage errors with a one-line message naming the flag.
 */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedFlags<S> {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: [...argv],
      options: { ...specs, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    if (positionals.length > 0) {
      throw new CommandLineError(`unexpected argument "${positionals[0]}" (flags take the form --name value)`);
    }
    // parseArgs keeps the last of a repeated flag; a second --plan is more likely a mistake.
    const seen = new Set<string>();
    for (const token of tokens) {
      if (token.kind !== 'option' || specs[token.name]?.multiple) continue;
      if (seen.has(token.name)) throw new CommandLineError(`--${token.name} was given more than once`);
      seen.add(token.name);
    }
    return values as unknown as ParsedFlags<S>;
  } catch (error) {
    if (error instanceof CommandLineError) throw error;
    throw new CommandLineError(describeParseArgsError(error));
  }
}

function describeParseArgsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages carry advice about `--` that does not apply here; keep the first sentence.
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown flag ${unknown[1]}`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value (write ${ambiguous[1]}=VALUE for one starting with "-")`;
  const boolWithValue = /Option '(--[\w-]+)' does not take an argument/.exec(message);
  if (boolWithValue) return `${boolWithValue[1]} takes no value`;
  return message.split('\n')[0];
}

/** The value of a required flag, or a usage error naming it. */
export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CommandLineError(`--${flag} is required`);
  return value;
}

/** Parses a whole number in [min, max], naming the flag on failure. */
export function parseIntegerFlag(value: string, flag: string, min: number, max: number): number {
  if (/^-\d+$/.test(value.trim())) throw new CommandLineError(`--${flag} must be between ${min} and ${max}, got ${value.trim()}`);
  if (!/^\d+$/.test(value.trim())) {
    throw new CommandLineError(`--${flag} must be a whole number, got "${value}"`);
  }
  const parsed = Number(value.trim());
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
  if (bytes < 1 || !Number.isSafeInteger(bytes)) {
    throw new CommandLineError(`--${flag} must be at least 1 byte, got "${value}"`);
  }
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
