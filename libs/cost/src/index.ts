export { actualCost, DEFAULT_COMPUTE, estimateCost, formatCostEstimate, US_EAST_1_PRICES } from './estimate';
export type { ActualCost, ComputeAssumptions, CostEstimate, RequestCounts, RunActuals, RunTotals, UnitPrices } from './estimate';
export { parsePriceFlags, parseThroughputFlag, PRICE_FLAG_HELP } from './flags';
