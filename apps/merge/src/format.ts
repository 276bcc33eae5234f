import { codePointLength } from '@wordbatch/word-count';
import { formatIndexRanges, type MergeResult } from './merge';
import type { OutputFormat } from '@wordbatch/stage-commands';

export function formatMergeResult(result: MergeResult, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'csv':
      return formatCsv(result);
    case 'table':
      return formatTable(result);
  }
}

function formatCsv(result: MergeResult): string {
  const rows = result.words.map(({ word, count }) => `${csvField(word)},${count}\n`);
  return `word,count\n${rows.join('')}`;
}

/** RFC 4180: quote a field holding a comma, quote or line break (whitespace-tokenized words can). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Columns a word takes: one per code point (wide CJK glyphs are not measured). */
const width = codePointLength;

/** The seed's two-column table (Word, Count), with counts right-aligned. */
function formatTable(result: MergeResult): string {
  // A loop, not Math.max(...words): spreading a large --top overflows the call stack.
  let wordWidth = 4;
  let countWidth = 5;
  for (const { word, count } of result.words) {
    wordWidth = Math.max(wordWidth, width(word));
    countWidth = Math.max(countWidth, String(count).length);
  }
  const rule = (left: string, middle: string, right: string) =>
    `${left}${'─'.repeat(wordWidth + 2)}${middle}${'─'.repeat(countWidth + 2)}${right}\n`;
  const row = (word: string, count: string) =>
    `│ ${word}${' '.repeat(wordWidth - width(word))} │ ${count.padStart(countWidth)} │\n`;
  let table = rule('┌', '┬', '┐') + row('Word', 'Count') + rule('├', '┼', '┤');
  for (const { word, count } of result.words) table += row(word, String(count));
  table += rule('└', '┴', '┘');
  const { totals } = result;
  table += `${totals.words} words (${totals.distinctWords} distinct) in ${totals.files} files, ${totals.bytes} bytes; plan ${result.planId}\n`;
  if (result.partial) {
    table += `PARTIAL: shard results ${formatIndexRanges(result.missingShards)} of ${totals.shards} were missing\n`;
  }
  return table;
}

/** Names of objects a note quotes before it says "and N more". */
const NOTE_NAMES = 3;

/**
 * What a reader of any output format must not miss, as lines for stderr (stdout stays the
 * result alone, so `--output csv > top.csv` still gets them on the terminal): how many
 * objects were skipped and why, and how many were counted with invalid byte sequences.
 */
export function formatMergeNotes(result: MergeResult): string {
  const { totals } = result;
  const lines: string[] = [];
  // An empty input is a result (0 words), never a silent one: README "Empty inputs".
  if (totals.files === 0 && totals.skippedFiles === 0 && result.missingShards.length === 0) lines.push('warning: the plan named no objects: nothing was counted');
  if (totals.skippedFiles > 0) {
    const reasons = Object.entries(totals.skippedByReason)
      .filter(([, objects]) => objects > 0)
      .map(([reason, objects]) => `${reason} ${objects}`);
    lines.push(`${totals.skippedFiles} objects skipped (${reasons.join(', ')}): listed under "skipped" in ${result.result}`);
  }
  if (totals.objectsWithInvalidSequences > 0) {
    const names = result.invalidText.slice(0, NOTE_NAMES).map(({ name }) => JSON.stringify(name));
    const more = totals.objectsWithInvalidSequences - names.length;
    lines.push(
      `warning: ${totals.objectsWithInvalidSequences} objects had byte sequences invalid in ${result.settings.encoding} ` +
        `(${totals.invalidSequences} in all, each counted as U+FFFD): ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}; ` +
        `listed under "invalidText" in ${result.result}`,
    );
  }
  return lines.map((line) => `wordbatch merge: ${line}\n`).join('');
}
