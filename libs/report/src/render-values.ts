import { escapeHtml, formatBytes, formatDuration, formatNumber } from './html-text';

/** Long lists from result.json are cut here in the page; the whole list stays in result.json. */
export const MAX_LISTED = 1000;

/** A field's name as a heading: `skippedFiles` → `skipped files`. */
export function labelOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Any value from result.json as HTML, whatever merge put there: numbers grouped (sizes and
 * durations also in units, judged by the field's name), lists and objects nested.
 */
export function renderValue(value: unknown, key = ''): string {
  if (typeof value === 'number') {
    const plain = formatNumber(value);
    if (/bytes$/i.test(key) && value >= 1024) return `${plain} <span class="unit">(${formatBytes(value)})</span>`;
    if (/Ms$/.test(key) && value >= 1000) return `${plain} <span class="unit">(${formatDuration(value)})</span>`;
    return plain;
  }
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="none">none</span>';
    if (value.every((item) => typeof item !== 'object' || item === null)) {
      const shown = value.slice(0, MAX_LISTED).map((item) => renderValue(item, key));
      return shown.join(', ') + moreNote(value.length);
    }
    return renderObjectList(value);
  }
  return renderFields(value as Record<string, unknown>);
}

/** An object's fields as a two-column table. */
export function renderFields(fields: Record<string, unknown>, className = 'fields'): string {
  const rows = Object.entries(fields).map(
    ([key, value]) => `<tr><th scope="row">${escapeHtml(labelOf(key))}</th><td>${renderValue(value, key)}</td></tr>`,
  );
  return `<table class="${className}"><tbody>${rows.join('')}</tbody></table>`;
}

/** A list of objects as a table whose columns are every key the objects have, first seen first. */
export function renderObjectList(items: readonly unknown[]): string {
  const shown = items.slice(0, MAX_LISTED).map((item) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : { value: item }));
  const columns = [...new Set(shown.flatMap((item) => Object.keys(item)))];
  const head = columns.map((column) => `<th scope="col">${escapeHtml(labelOf(column))}</th>`).join('');
  const body = shown.map((item) => `<tr>${columns.map((column) => `<td>${renderValue(item[column], column)}</td>`).join('')}</tr>`);
  return `<table class="list"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>${moreNote(items.length)}`;
}

function moreNote(length: number): string {
  return length > MAX_LISTED ? ` <p class="note">… and ${formatNumber(length - MAX_LISTED)} more (all of them are in result.json)</p>` : '';
}
