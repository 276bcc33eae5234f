import { parseArgs } from 'node:util';
import { CommandLineError } from '@wordbatch/errors';
import { nearestName } from './suggest';

/**
 * One flag of a command line: its help, how its text becomes a typed value (the constraint
 * lives in `read`), and how that value is written back as text, so that a command built by
 * one program (the submitter, the local run) reads back the same in the stage program.
 * `V` is the value a parsed command line holds: `T | undefined` for an optional flag,
 * `T` with a default, `T[]` for a repeatable one, `boolean` for a switch.
 */
export interface Flag<V> {
  readonly help: string;
  /** How the value is shown in help (`URI`, `N`); absent for a switch, which takes no value. */
  readonly placeholder?: string;
  readonly repeatable: boolean;
  readonly required: boolean;
  /** The default as help and the README show it. */
  readonly defaultText?: string;
  /** The constraint as help and the README show it (`1-10000`, `unicode|whitespace`). */
  readonly constraintText?: string;
  /** Older names still accepted (documented as such), e.g. merge's `--source`. */
  readonly aliases: readonly string[];
  /** The texts given, one per occurrence ([] when absent; `''` per occurrence of a switch) as the value. */
  read(texts: readonly string[], flag: string): V;
  /** The value as texts to pass, one per occurrence: [] for absent or default-equal values. */
  write(value: V): readonly string[];
  /** A valid value other than the default, for tests that round-trip every flag. */
  readonly sample: V;
}

// The definitions are heterogeneous records; `any` lets a record of Flag<number>, Flag<S3Path>…
// be one FlagSet while each entry keeps its own type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FlagSet = Readonly<Record<string, Flag<any>>>;

export type FlagValues<F extends FlagSet> = { -readonly [K in keyof F]: F[K] extends Flag<infer V> ? V : never };

export interface EnvironmentVariable {
  readonly name: string;
  readonly help: string;
}

/** A program's whole command line, the one place its flags, help and examples are written. */
export interface CommandLine<F extends FlagSet> {
  /** As typed by a user: `wordbatch plan`, `wordbatch submit`. */
  readonly program: string;
  readonly summary: string;
  readonly usage: readonly string[];
  /** Text between usage and options: what the command does. */
  readonly description?: string;
  readonly flags: F;
  /** A leading argument that is not a flag (local's FOLDER), for help: the program takes it off argv itself. */
  readonly positional?: { readonly name: string; readonly help: string };
  readonly environment?: readonly EnvironmentVariable[];
  readonly examples: readonly string[];
  /** Closing text: what is printed and written, exit codes. */
  readonly epilogue?: string;
}

/** `shardBytes` → `shard-bytes`: flag names are the definition's keys in kebab case. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The flags every program takes besides its own (see runStage): help, version and the AWS CLI's. */
export const COMMON_FLAGS: readonly { readonly names: string; readonly help: string }[] = [
  { names: '--endpoint-url URL', help: 'endpoint of every AWS service the command calls (S3; Batch too for submit, status, retry-failed), as the AWS CLI; wins over AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_BATCH and AWS_ENDPOINT_URL' },
  { names: '--region REGION', help: 'AWS region, as the AWS CLI; sets AWS_REGION' },
  { names: '--profile NAME', help: 'named profile of ~/.aws/config or ~/.aws/credentials, as the AWS CLI: its credentials (over AWS_ACCESS_KEY_ID...) and region; sets AWS_PROFILE' },
  { names: '--quiet', help: 'print only results and errors: no progress, no log lines below error' },
  { names: '-h, --help', help: 'show this help' },
  { names: '--version', help: 'print the version (package version and commit)' },
];

/** Names runStage handles itself, so no definition may use them: the long names COMMON_FLAGS lists. */
export const COMMON_FLAG_NAMES: readonly string[] = COMMON_FLAGS.flatMap(({ names }) => [...names.matchAll(/--([a-z-]+)/g)].map((match) => match[1]));

/**
 * Parses `argv` against a command line: unknown flags (with the nearest known one suggested),
 * missing values, repeated single flags and stray arguments are one-line usage errors naming
 * the flag, and every value goes through its flag's own `read`, which applies the constraint.
 */
export function parseCommandLine<F extends FlagSet>(
  definition: CommandLine<F>,
  argv: readonly string[],
): FlagValues<F> {
  const nameToKey = new Map<string, string>();
  for (const [key, flag] of Object.entries(definition.flags)) {
    nameToKey.set(flagName(key), key);
    for (const alias of flag.aliases) nameToKey.set(alias, key);
  }
  // Each occurrence is read from parseArgs' tokens (so a repeated single flag is refused
  // below, not silently the last one): its `values`, and so `multiple`, are not used.
  const options = Object.fromEntries(
    [...nameToKey].map(([name, key]) => [name, { type: definition.flags[key].placeholder === undefined ? 'boolean' : 'string' }]),
  ) as Record<string, { type: 'string' | 'boolean' }>;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: withNegativeNumbersJoined(argv, options), options, strict: true, allowPositionals: true, tokens: true, allowNegative: false });
  } catch (error) {
    throw new CommandLineError(describeParseArgsError(error, [...nameToKey.keys()]));
  }
  if (parsed.positionals.length > 0) {
    throw new CommandLineError(`unexpected argument "${parsed.positionals[0]}" (flags take the form --name value)`);
  }
  const texts = new Map<string, string[]>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const key = nameToKey.get(token.name) as string;
    const list = texts.get(key) ?? [];
    list.push(token.value ?? '');
    texts.set(key, list);
    const flag = definition.flags[key];
    if (!flag.repeatable && list.length > 1) throw new CommandLineError(`--${flagName(key)} was given more than once`);
  }
  const missing = Object.entries(definition.flags)
    .filter(([key, flag]) => flag.required && !texts.has(key))
    .map(([key]) => `--${flagName(key)}`);
  if (missing.length > 0) {
    throw new CommandLineError(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} required`);
  }
  const values: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(definition.flags)) {
    values[key] = flag.read(texts.get(key) ?? [], `--${flagName(key)}`);
  }
  return values as FlagValues<F>;
}

/**
 * The arguments that give `values` (keys of the definition only; others are ignored), in
 * the definition's order, omitting absent and default values: what a job's command holds.
 */
export function formatCommandLine<F extends FlagSet>(definition: CommandLine<F>, values: Partial<FlagValues<F>>): string[] {
  const args: string[] = [];
  for (const [key, flag] of Object.entries(definition.flags)) {
    if (values[key] === undefined) continue;
    for (const text of flag.write(values[key])) {
      args.push(`--${flagName(key)}`);
      if (flag.placeholder !== undefined) args.push(text);
    }
  }
  return args;
}

/**
 * `--shards -1` as `--shards=-1`: parseArgs takes a value starting with "-" for a flag of its
 * own, so the user would hear that --shards "needs a value" instead of what is wrong with -1.
 */
function withNegativeNumbersJoined(argv: readonly string[], options: Readonly<Record<string, { type: string }>>): string[] {
  const joined: string[] = [];
  for (let position = 0; position < argv.length; position++) {
    const name = argv[position].startsWith('--') ? argv[position].slice(2) : undefined;
    const next = argv[position + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${argv[position]}=${next}`);
      position++;
    } else {
      joined.push(argv[position]);
    }
  }
  return joined;
}

function describeParseArgsError(error: unknown, known: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) {
    // parseArgs names the option without its `=value` (`--sahrds=3` is `--sahrds`).
    const name = unknown[1].replace(/^-+/, '');
    const nearest = nearestName(name, [...known, ...COMMON_FLAG_NAMES]);
    return `unknown flag ${unknown[1]}${nearest ? ` (did you mean --${nearest}?)` : ''}`;
  }
  // No flag here has a one-letter short form, so parseArgs names each by its long name alone.
  const missing = /Option '(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  // `--plan --shards 3`: parseArgs reads a value starting with "-" as a flag of its own.
  const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value; for one starting with "-" write ${ambiguous[1]}=VALUE`;
  const boolWithValue = /Option '(--[\w-]+)' does not take an argument/.exec(message);
  if (boolWithValue) return `${boolWithValue[1]} takes no value`;
  return message.split('\n')[0];
}

/** The flags of `set` without `keys`: a program taking a stage's flags by reference, less those it sets itself. */
export function omitFlags<F extends FlagSet, K extends keyof F>(set: F, keys: readonly K[]): Omit<F, K> {
  return Object.fromEntries(Object.entries(set).filter(([key]) => !(keys as readonly string[]).includes(key))) as Omit<F, K>;
}

/**
 * Several stages' flags as one set. A key two stages share must be the same concept (the
 * same flag object, e.g. plan's and migrate's --plan), or the combination is refused: one
 * name per concept across the stages.
 */
export function combineFlags<A extends FlagSet, B extends FlagSet>(a: A, b: B): A & B {
  for (const key of Object.keys(b)) {
    if (key in a && !sameConcept(a[key], b[key])) {
      throw new Error(`--${flagName(key)} means different things in two stages; give one of them another name`);
    }
  }
  return { ...a, ...b };
}

/** Two flags are one concept when they read the same kind of value (S3 URIs, say) under the same name. */
function sameConcept(a: Flag<unknown>, b: Flag<unknown>): boolean {
  return a.placeholder === b.placeholder && a.constraintText === b.constraintText && a.repeatable === b.repeatable;
}
