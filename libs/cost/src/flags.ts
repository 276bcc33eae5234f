import { UsageError } from '@wordbatch/errors';
import { US_EAST_1_PRICES, type UnitPrices } from './estimate';

/** `--price NAME=DOLLARS` names, and the unit price each sets. */
const PRICE_NAMES = {
  'vcpu-hour': 'vcpuHour',
  'gb-hour': 'gbHour',
  'list-1000': 'listPer1000',
  'put-1000': 'putPer1000',
  'get-1000': 'getPer1000',
} as const satisfies Record<string, keyof UnitPrices>;

export const PRICE_FLAG_HELP = `a unit price for the cost estimate and the run's actual cost (repeatable): ${Object.keys(PRICE_NAMES).join(', ')}`;

/** The default prices with `--price` values over them; a price given makes the source "given prices". */
export function parsePriceFlags(values: readonly string[]): UnitPrices {
  let prices: UnitPrices = US_EAST_1_PRICES;
  for (const value of values) {
    const [name, amount] = value.split('=', 2);
    const field = PRICE_NAMES[name as keyof typeof PRICE_NAMES];
    const dollars = Number(amount);
    if (field === undefined || amount === undefined || amount.trim() === '' || !Number.isFinite(dollars) || dollars < 0) {
      throw new UsageError(`--price must be NAME=DOLLARS with NAME one of ${Object.keys(PRICE_NAMES).join(', ')}, got "${value}"`);
    }
    prices = { ...prices, [field]: dollars, source: `${US_EAST_1_PRICES.source}, with --price` };
  }
  return prices;
}

/** `--throughput-per-vcpu MB`: MB/s counted per vCPU. */
export function parseThroughputFlag(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const megabytes = Number(value);
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new UsageError(`--throughput-per-vcpu must be a positive number of MB/s, got "${value}"`);
  return megabytes;
}
