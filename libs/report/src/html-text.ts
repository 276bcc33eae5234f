/** Text made safe to place between HTML tags or inside a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * JSON to embed in a `<script type="application/json">`: `<` is written as `\u003c`, which
 * JSON.parse reads back unchanged, so no value (a word, an object name) can close the element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * A library's source to inline in a `<script>`: the one sequence that would end the element
 * early, `</script`, cannot occur in it. Refused rather than rewritten, since rewriting code
 * could change what it does.
 */
export function scriptSource(source: string, what: string): string {
  if (/<\/script/i.test(source)) throw new Error(`${what} contains "</script" and cannot be inlined`);
  return source;
}

/** 1234567 → `1,234,567`: the same digits on every machine, whatever its locale. */
export function formatInteger(value: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number as a person reads it: integers grouped, fractions with two decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? formatInteger(value) : value.toFixed(2);
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → `1.5 KiB`: binary units, as the --shard-bytes flag takes them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatInteger(bytes)} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** 83400 → `1 min 23.4 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${(seconds % 60).toFixed(1)} s`;
}
