import type { PlanSettings } from './schemas';
import { DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_TEXT_SETTINGS, textSettingsOf } from './text-settings';

const settings: PlanSettings = { tokenizer: 'unicode', perFile: false, include: [], exclude: [], shardBytes: null };

describe('text settings', () => {
  it('reads a plan written before the text settings as the defaults (UTF-8, lenient, 1000x, 64 GiB)', () => {
    expect(DEFAULT_MAX_EXPANDED_BYTES).toBe(2 ** 36);
    expect(textSettingsOf(settings)).toEqual({ encoding: 'utf-8', strictEncoding: false, maxExpansionRatio: 1000, maxExpandedBytes: 2 ** 36 });
    expect(textSettingsOf(settings)).toBe(DEFAULT_TEXT_SETTINGS);
    const text = { encoding: 'windows-1252', strictEncoding: true, maxExpansionRatio: 5, maxExpandedBytes: 10 };
    expect(textSettingsOf({ ...settings, text })).toBe(text);
  });
});
