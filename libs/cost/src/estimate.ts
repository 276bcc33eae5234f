/** What a run covers: from a plan's totals, or from a listing made to estimate it. */
export interface RunTotals {
  readonly objects: number;
  readonly bytes: number;
  readonly shards: number;
  /** LIST requests the listing took, when known (plan counts its own); otherwise one per 1,000 objects. */
  readonly listRequests?: number;
  /** migrate --per-file writes one more object per file. */
  readonly perFile?: boolean;
}

/** How fast and how big the migrate children are. */
export interface ComputeAssumptions {
  /** Object bytes counted per second per vCPU, in MB (10^6 bytes). */
  readonly megabytesPerSecondPerVcpu: number;
  readonly vcpusPerChild: number;
  readonly memoryMiBPerChild: number;
  /** Billed seconds per child beyond counting: image pull, start-up, reading its shard list. */
  readonly overheadSecondsPerChild: number;
}

/** Unit prices in US dollars, with the day they were read. */
export interface UnitPrices {
  readonly vcpuHour: number;
  readonly gbHour: number;
  /** Per 1,000 requests. */
  readonly listPer1000: number;
  readonly putPer1000: number;
  readonly getPer1000: number;
  readonly pricedOn: string;
  readonly source: string;
}

/**
 * us-east-1 list prices, on-demand Linux/x86 Fargate and S3 Standard requests, as published on
 * 2026-06-17 (https://aws.amazon.com/fargate/pricing/, https://aws.amazon.com/s3/pricing/; as
 * restated at https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/ and
 * https://c3x.dev/blog/s3-request-fees-explained). Fargate bills per second (one minute at
 * least); S3 bills LIST and PUT alike, GET ("Tier 2") far cheaper; transfer within the region is free.
 */
export const US_EAST_1_PRICES: UnitPrices = {
  vcpuHour: 0.04048,
  gbHour: 0.004445,
  listPer1000: 0.005,
  putPer1000: 0.005,
  getPer1000: 0.0004,
  pricedOn: '2026-06-17',
  source: 'AWS list prices, us-east-1: Fargate Linux/x86 on-demand, S3 Standard requests',
};

/**
 * migrate's default sizing (the migrate job definition's, in libs/pipeline STAGES; a test there
 * holds the two equal) and its throughput: 48 MB/s per vCPU is migrate on one core over a shard
 * of ~1 MB files in `npm run bench` (docs/performance.md), the S3 server on the same machine.
 */
export const DEFAULT_COMPUTE: ComputeAssumptions = {
  megabytesPerSecondPerVcpu: 48,
  vcpusPerChild: 2,
  memoryMiBPerChild: 4096,
  overheadSecondsPerChild: 60,
};

export interface RequestCounts {
  readonly list: number;
  readonly get: number;
  readonly put: number;
}

export interface CostEstimate {
  readonly objects: number;
  readonly bytes: number;
  readonly shards: number;
  readonly requests: RequestCounts;
  readonly vcpuHours: number;
  readonly memoryGbHours: number;
  readonly dollars: { readonly compute: number; readonly requests: number; readonly total: number };
  readonly compute: ComputeAssumptions;
  readonly prices: UnitPrices;
}

/** Fargate's minimum billed time per task. */
const MINIMUM_BILLED_SECONDS = 60;
const MIB_PER_GB = 1024;

/**
 * The requests and the migrate fleet's vCPU- and memory-hours a run takes, and their price.
 *
 * Requests, stage by stage: plan lists the source (its own count, or a page per 1,000 objects)
 * and writes a shard list per shard, the header and its copy; each migrate child reads the
 * header and its shard list, GETs each of its objects once and writes its result (and, with
 * --per-file, one object per file); merge lists the shard results (a page per 1,000), reads the
 * header and every result, and writes result.json. A retried request is billed again and is
 * not counted here, nor are the ranged reads of one large object in parts.
 *
 * Compute: each child holds its vCPUs and memory for its counting time (its bytes at the
 * per-vCPU rate times its vCPUs) plus a fixed overhead, at least a minute; shards are
 * assumed balanced, as plan makes them. plan and merge, single tasks, are left out.
 */
export function estimateCost(totals: RunTotals, compute: ComputeAssumptions = DEFAULT_COMPUTE, prices: UnitPrices = US_EAST_1_PRICES): CostEstimate {
  const { objects, bytes, shards } = totals;
  const planList = totals.listRequests ?? Math.max(1, Math.ceil(objects / 1000));
  const mergeList = Math.max(1, Math.ceil(shards / 1000));
  const requests: RequestCounts = {
    list: planList + mergeList,
    get: objects + 2 * shards + shards + 1,
    put: shards + 2 + shards + (totals.perFile ? objects : 0) + 1,
  };
  const countingSecondsPerChild = bytes / shards / (compute.megabytesPerSecondPerVcpu * 1e6 * compute.vcpusPerChild);
  const billedSecondsPerChild = Math.max(MINIMUM_BILLED_SECONDS, countingSecondsPerChild + compute.overheadSecondsPerChild);
  const childHours = (shards * billedSecondsPerChild) / 3600;
  const vcpuHours = childHours * compute.vcpusPerChild;
  const memoryGbHours = (childHours * compute.memoryMiBPerChild) / MIB_PER_GB;
  const computeDollars = vcpuHours * prices.vcpuHour + memoryGbHours * prices.gbHour;
  const requestDollars = (requests.list * prices.listPer1000 + requests.put * prices.putPer1000 + requests.get * prices.getPer1000) / 1000;
  return {
    objects,
    bytes,
    shards,
    requests,
    vcpuHours,
    memoryGbHours,
    dollars: { compute: computeDollars, requests: requestDollars, total: computeDollars + requestDollars },
    compute,
    prices,
  };
}

/** What a run actually took, as merge reads it from the plan header and the shard timings. */
export interface RunActuals {
  readonly objects: number;
  readonly bytes: number;
  readonly shards: number;
  /** Requests per stage, as each counted its own (retries not included); undefined when a stage did not record them. */
  readonly requests: { readonly plan?: { list: number; put: number }; readonly migrate?: RequestCounts; readonly merge: RequestCounts };
  /** Each migrate child's time from reading the plan to its result written, in milliseconds. */
  readonly childDurationsMs: readonly number[];
}

export interface ActualCost {
  readonly requests: RequestCounts;
  readonly vcpuHours: number;
  readonly memoryGbHours: number;
  readonly dollars: { readonly compute: number; readonly requests: number; readonly total: number };
}

/**
 * The same model as `estimateCost`, on what happened: each child is billed its measured time
 * plus the same fixed overhead (start-up and image pull happen before the timing starts), at
 * least a minute, at the same sizing and unit prices, so estimate and outcome compare line by line.
 */
export function actualCost(actuals: RunActuals, compute: ComputeAssumptions = DEFAULT_COMPUTE, prices: UnitPrices = US_EAST_1_PRICES): ActualCost {
  const stages = [actuals.requests.plan, actuals.requests.migrate, actuals.requests.merge];
  const requests: RequestCounts = {
    list: stages.reduce((sum, stage) => sum + (stage?.list ?? 0), 0),
    get: (actuals.requests.migrate?.get ?? 0) + actuals.requests.merge.get,
    put: stages.reduce((sum, stage) => sum + (stage?.put ?? 0), 0),
  };
  let childSeconds = 0;
  for (const durationMs of actuals.childDurationsMs) childSeconds += Math.max(MINIMUM_BILLED_SECONDS, durationMs / 1000 + compute.overheadSecondsPerChild);
  const vcpuHours = (childSeconds / 3600) * compute.vcpusPerChild;
  const memoryGbHours = ((childSeconds / 3600) * compute.memoryMiBPerChild) / MIB_PER_GB;
  const computeDollars = vcpuHours * prices.vcpuHour + memoryGbHours * prices.gbHour;
  const requestDollars = (requests.list * prices.listPer1000 + requests.put * prices.putPer1000 + requests.get * prices.getPer1000) / 1000;
  return { requests, vcpuHours, memoryGbHours, dollars: { compute: computeDollars, requests: requestDollars, total: computeDollars + requestDollars } };
}

const money = (dollars: number) => `$${dollars < 10 ? dollars.toFixed(4) : dollars.toFixed(2)}`;
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

/** The estimate as summary lines (two-space indent, like the stages' other summaries). */
export function formatCostEstimate(estimate: CostEstimate): string[] {
  const { requests, compute, prices } = estimate;
  return [
    `Estimated cost (${prices.source}, priced ${prices.pricedOn}):`,
    `  objects      ${whole(estimate.objects)}, ${whole(estimate.bytes)} bytes, ${whole(estimate.shards)} shards`,
    `  requests     LIST ${whole(requests.list)}, GET ${whole(requests.get)}, PUT ${whole(requests.put)}: ${money(estimate.dollars.requests)}`,
    `  compute      ${estimate.vcpuHours.toFixed(2)} vCPU-hours, ${estimate.memoryGbHours.toFixed(2)} GB-hours: ${money(estimate.dollars.compute)}` +
      ` (migrate ${compute.vcpusPerChild} vCPU / ${compute.memoryMiBPerChild} MiB per child, ${compute.megabytesPerSecondPerVcpu} MB/s per vCPU)`,
    `  total        ${money(estimate.dollars.total)} (storage, transfer, plan and merge not included)`,
  ];
}
