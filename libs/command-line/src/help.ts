import { COMMON_FLAGS, flagName, type CommandLine, type Flag, type FlagSet } from './command-line';

const COLUMN = 28;

function flagLabel(key: string, entry: Flag<unknown>): string {
  return `--${flagName(key)}${entry.placeholder === undefined ? '' : ` ${entry.placeholder.includes('|') ? 'NAME' : entry.placeholder}`}`;
}

function flagNotes(entry: Flag<unknown>): string {
  const notes = [
    entry.required ? 'required' : undefined,
    entry.placeholder?.includes('|') ? entry.placeholder.split('|').join(', ') : entry.constraintText,
    entry.defaultText === undefined ? undefined : `default ${entry.defaultText}`,
    entry.repeatable ? 'repeatable' : undefined,
    entry.aliases.length > 0 ? `also ${entry.aliases.map((alias) => `--${alias}`).join(', ')} (older name)` : undefined,
  ].filter((note) => note !== undefined);
  return notes.length === 0 ? '' : ` [${notes.join('; ')}]`;
}

function row(label: string, text: string): string {
  return label.length < COLUMN - 3 ? `  ${label.padEnd(COLUMN - 2)}${text}\n` : `  ${label}\n${' '.repeat(COLUMN)}${text}\n`;
}

/** The rows of COMMON_FLAGS, as every --help shows them (and `wordbatch --help`). */
export function renderCommonOptions(): string {
  return COMMON_FLAGS.map((common) => row(common.names, common.help)).join('');
}

/** The program's --help, from its definition: usage, options, common options, environment, examples. */
export function renderHelp<F extends FlagSet>(definition: CommandLine<F>): string {
  let text = `${definition.program}: ${definition.summary}\n\nUsage:\n`;
  for (const usage of definition.usage) text += `  ${usage}\n`;
  if (definition.description) text += `\n${definition.description.trimEnd()}\n`;
  text += '\nOptions:\n';
  if (definition.positional) text += row(definition.positional.name, definition.positional.help);
  for (const [key, entry] of Object.entries(definition.flags)) {
    text += row(flagLabel(key, entry), `${entry.help}${flagNotes(entry)}`);
  }
  text += `\nCommon options:\n${renderCommonOptions()}`;
  if (definition.environment && definition.environment.length > 0) {
    text += '\nEnvironment:\n';
    for (const variable of definition.environment) text += row(variable.name, variable.help);
  }
  text += '\nExamples:\n';
  for (const example of definition.examples) text += `  ${example}\n`;
  if (definition.epilogue) text += `\n${definition.epilogue.trimEnd()}\n`;
  return text;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '\\<');
}

/** The program's flags as a Markdown table, the form the README holds (a test keeps them equal). */
export function renderFlagTable<F extends FlagSet>(definition: CommandLine<F>): string {
  let table = '| flag | value | default | what |\n|---|---|---|---|\n';
  for (const [key, entry] of Object.entries(definition.flags)) {
    const names = [`--${flagName(key)}`, ...entry.aliases.map((alias) => `--${alias}`)].map((name) => `\`${name}\``).join(', ');
    const value = entry.placeholder === undefined ? '' : cell(entry.placeholder.includes('|') ? entry.placeholder : `${entry.placeholder}${entry.constraintText ? ` (${entry.constraintText})` : ''}`);
    const fallback = entry.required ? 'required' : entry.defaultText === undefined ? '' : cell(entry.defaultText);
    table += `| ${names}${entry.repeatable ? ' …' : ''} | ${value} | ${fallback} | ${cell(entry.help)} |\n`;
  }
  return table;
}
