import { formatS3Path, type S3Path } from '@wordbatch/s3-path';
import type { Flag } from './command-line';
import { CommandLineError } from '@wordbatch/errors';
import { parseChoiceFlag, parseIntegerFlag, parseS3Flag, parseSizeFlag } from './flags';

// Builders for the flags of a command line. Each returns a Flag whose value type says whether
// it can be absent: `optional` ones are `T | undefined`, ones with a default are `T`.

interface Common {
  readonly help: string;
  /** Older names still accepted. */
  readonly aliases?: readonly string[];
}

interface ValueKind<T> {
  readonly placeholder: string;
  readonly constraintText?: string;
  parse(text: string, flag: string): T;
  format(value: T): string;
  readonly sample: T;
  /** Equality for "is this the default" (values such as sets are not ===). */
  same?(a: T, b: T): boolean;
}

function single<T>(kind: ValueKind<T>, options: Common & { default: T; defaultText?: string }): Flag<T>;
function single<T>(kind: ValueKind<T>, options: Common & { required?: boolean }): Flag<T | undefined>;
function single<T>(kind: ValueKind<T>, options: Common & { required?: boolean; default?: T; defaultText?: string }): Flag<T | undefined> {
  const hasDefault = 'default' in options;
  const same = kind.same ?? ((a: T, b: T) => a === b);
  return {
    help: options.help,
    placeholder: kind.placeholder,
    repeatable: false,
    required: options.required ?? false,
    defaultText: hasDefault ? (options.defaultText ?? kind.format(options.default as T)) : undefined,
    constraintText: kind.constraintText,
    aliases: options.aliases ?? [],
    read: (texts, flag) => (texts.length === 0 ? options.default : kind.parse(texts[0], flag)),
    write: (value) => (value === undefined || (hasDefault && same(value, options.default as T)) ? [] : [kind.format(value)]),
    sample: kind.sample,
  };
}

function repeatable<T>(kind: ValueKind<T>, options: Common): Flag<T[]> {
  return {
    help: options.help,
    placeholder: kind.placeholder,
    repeatable: true,
    required: false,
    constraintText: kind.constraintText,
    aliases: options.aliases ?? [],
    read: (texts, flag) => texts.map((text) => kind.parse(text, flag)),
    write: (values) => values.map((value) => kind.format(value)),
    sample: [kind.sample, kind.sample],
  };
}

/** `--plan` → `plan`: a kind's `parse` is given the flag as typed, the parsers of flags.ts its bare name. */
function bareName(flag: string): string {
  return flag.replace(/^--/, '');
}

const s3UriKind: ValueKind<S3Path> = {
  placeholder: 'URI',
  constraintText: 's3://BUCKET/KEY',
  parse: (text, flag) => parseS3Flag(text, bareName(flag)),
  format: formatS3Path,
  sample: { bucket: 'sample-bucket', key: 'sample/key.json' },
};

function integerKind(min: number, max: number, placeholder = 'N'): ValueKind<number> {
  return {
    placeholder,
    constraintText: `${min}-${max}`,
    parse: (text, flag) => parseIntegerFlag(text, bareName(flag), min, max),
    format: String,
    sample: max,
  };
}

const sizeKind: ValueKind<number> = {
  placeholder: 'SIZE',
  constraintText: 'bytes, or with KiB/MiB/GiB/TiB',
  parse: (text, flag) => parseSizeFlag(text, bareName(flag)),
  format: String,
  sample: 1024 ** 2,
};

/** `8MiB` for 8388608: sizes in help as people write them. */
export function formatSize(bytes: number): string {
  const units = ['', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (unit < units.length - 1 && bytes % 1024 ** (unit + 1) === 0) unit++;
  return `${bytes / 1024 ** unit}${units[unit]}`;
}

function boundedSizeKind(min: number, max: number): ValueKind<number> {
  return {
    ...sizeKind,
    constraintText: `${formatSize(min)}-${formatSize(max)}`,
    parse: (text, flag) => {
      const bytes = parseSizeFlag(text, bareName(flag));
      if (bytes < min || bytes > max) throw new CommandLineError(`${flag} must be between ${formatSize(min)} and ${formatSize(max)}, got "${text}"`);
      return bytes;
    },
    format: formatSize,
    sample: max,
  };
}

function choiceKind<C extends string>(choices: readonly C[]): ValueKind<C> {
  return {
    placeholder: choices.join('|'),
    parse: (text, flag) => parseChoiceFlag(text, bareName(flag), choices),
    format: (value) => value,
    sample: choices[choices.length - 1],
  };
}

function textKind(placeholder: string, check?: (text: string, flag: string) => void, sample = 'sample-1'): ValueKind<string> {
  return {
    placeholder,
    parse: (text, flag) => {
      check?.(text, flag);
      return text;
    },
    format: (value) => value,
    sample,
  };
}

/** Text that is stored in a canonical form (an encoding label as its name). */
function canonicalTextKind(placeholder: string, canonical: (text: string, flag: string) => string, sample: string): ValueKind<string> {
  return { placeholder, parse: canonical, format: (value) => value, sample };
}

/** A comma-separated list as a set of lowercased words; `""` is the empty set. */
const wordSetKind: ValueKind<ReadonlySet<string>> = {
  placeholder: 'LIST',
  constraintText: 'comma-separated',
  parse: (text) => new Set(text.split(',').map((word) => word.trim().toLowerCase()).filter((word) => word !== '')),
  format: (value) => [...value].join(','),
  sample: new Set(['of', 'to']),
  same: (a, b) => a.size === b.size && [...a].every((word) => b.has(word)),
};

function s3Uri(options: Common & { required: true }): Flag<S3Path>;
function s3Uri(options: Common & { required?: false }): Flag<S3Path | undefined>;
function s3Uri(options: Common & { required?: boolean }): Flag<S3Path | undefined> {
  return single(s3UriKind, options);
}

export const flag = {
  s3Uri,
  integer: (min: number, max: number, options: Common & { placeholder?: string }) => single(integerKind(min, max, options.placeholder), options),
  integerWithDefault: (min: number, max: number, options: Common & { default: number; defaultText?: string; placeholder?: string }) =>
    single(integerKind(min, max, options.placeholder), options),
  size: (options: Common) => single(sizeKind, options),
  /** A size within [min, max], with a default. */
  sizeWithDefault: (min: number, max: number, options: Common & { default: number }) =>
    single(boundedSizeKind(min, max), { ...options, defaultText: formatSize(options.default) }),
  /** Text read into a canonical form by `canonical`, which throws naming the flag; `sample` is a valid non-default value. */
  canonicalText: (placeholder: string, canonical: (text: string, flag: string) => string, options: Common & { default: string; sample: string }) =>
    single(canonicalTextKind(placeholder, canonical, options.sample), options),
  choice: <C extends string>(choices: readonly C[], options: Common & { default: C }) => single(choiceKind(choices), options),
  optionalChoice: <C extends string>(choices: readonly C[], options: Common) => single(choiceKind(choices), options),
  text: (placeholder: string, options: Common & { check?: (text: string, flag: string) => void }) => single(textKind(placeholder, options.check), options),
  /** `sample`: a value `check` accepts, when it refuses the generic one. */
  texts: (placeholder: string, options: Common & { check?: (text: string, flag: string) => void; sample?: string }) =>
    repeatable(textKind(placeholder, options.check, options.sample), options),
  s3Uris: (options: Common) => repeatable(s3UriKind, options),
  wordSet: (options: Common & { default: ReadonlySet<string>; defaultText: string }) => single(wordSetKind, options),
  /** A flag without a value: false unless given. */
  switch: (options: Common): Flag<boolean> => ({
    help: options.help,
    repeatable: false,
    required: false,
    aliases: options.aliases ?? [],
    read: (texts) => texts.length > 0,
    write: (value) => (value ? [''] : []),
    sample: true,
  }),
  /** The same flag with another default (local's --shards defaults to the core count). */
  withDefault: <T>(base: Flag<T | undefined>, value: T, defaultText: string): Flag<T> => ({
    ...base,
    required: false,
    defaultText,
    read: (texts, name) => (texts.length === 0 ? value : (base.read(texts, name) as T)),
    write: (given) => base.write(given),
    sample: base.sample as T,
  }),
  /** The same flag, optional here (submit derives --plan from the run name when it is not given). */
  optional: <T>(base: Flag<T>): Flag<T | undefined> => ({ ...base, required: false }) as Flag<T | undefined>,
  /** The same flag, required here (submit migrate needs --shards). */
  required: <T>(base: Flag<T | undefined>): Flag<T> => ({ ...base, required: true, defaultText: undefined }) as Flag<T>,
} as const;
