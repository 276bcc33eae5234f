import type { PlanSettings, TextSettings } from './schemas';

/**
 * Expansion limits for compressed objects. gzip cannot expand more than about 1032x, so the
 * ratio stops only brotli and zstd bombs; the byte limit bounds the time one object can take
 * (64 GiB is about ten minutes of counting) whatever its format.
 */
export const DEFAULT_MAX_EXPANSION_RATIO = 1000;
export const DEFAULT_MAX_EXPANDED_BYTES = 64 * 1024 ** 3;

export const DEFAULT_TEXT_SETTINGS: TextSettings = {
  encoding: 'utf-8',
  strictEncoding: false,
  maxExpansionRatio: DEFAULT_MAX_EXPANSION_RATIO,
  maxExpandedBytes: DEFAULT_MAX_EXPANDED_BYTES,
};

/** A plan's text settings; a plan written before they existed means the defaults. */
export function textSettingsOf(settings: PlanSettings): TextSettings {
  return settings.text ?? DEFAULT_TEXT_SETTINGS;
}
