export { DEFAULT_COMPUTE, estimateCost, formatCostEstimate, US_EAST_1_PRICES } from './estimate';
export type { ComputeAssumptions, CostEstimate, RequestCounts, RunTotals, UnitPrices } from './estimate';
export { parsePriceFlags, parseThroughputFlag, PRICE_FLAG_HELP } from './flags';
