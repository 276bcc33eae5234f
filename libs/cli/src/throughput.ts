/** Megabytes (10^6 bytes) per second, rounded to two decimals, for the stages' summary log lines. */
export function megabytesPerSecond(bytes: number, durationMs: number): number {
  if (durationMs <= 0) return 0;
  return Math.round((bytes / 1e6 / (durationMs / 1000)) * 100) / 100;
}
