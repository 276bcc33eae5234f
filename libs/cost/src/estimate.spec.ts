import { actualCost, DEFAULT_COMPUTE, estimateCost, formatCostEstimate, US_EAST_1_PRICES } from './estimate';
import { parsePriceFlags, parseThroughputFlag } from './flags';

describe('estimateCost', () => {
  it('counts the requests of every stage and the fleet hours from the plan totals', () => {
    // 10,000,000 objects, 1 TB in 1,000 shards; 2 vCPU children at 50 MB/s per vCPU, no overhead.
    const estimate = estimateCost(
      { objects: 10_000_000, bytes: 1e12, shards: 1000, listRequests: 10_200 },
      { megabytesPerSecondPerVcpu: 50, vcpusPerChild: 2, memoryMiBPerChild: 4096, overheadSecondsPerChild: 0 },
    );
    expect(estimate.requests).toEqual({ list: 10_201, get: 10_003_001, put: 2003 });
    // Each child counts 1 GB at 100 MB/s: 10 s, billed as the 60 s minimum; 1,000 children.
    expect(estimate.vcpuHours).toBeCloseTo((1000 * 60 * 2) / 3600, 6);
    expect(estimate.memoryGbHours).toBeCloseTo((1000 * 60 * 4) / 3600, 6);
    expect(estimate.dollars.requests).toBeCloseTo((10_201 * 0.005 + 2003 * 0.005 + 10_003_001 * 0.0004) / 1000, 9);
    expect(estimate.dollars.total).toBeCloseTo(estimate.dollars.compute + estimate.dollars.requests, 9);
  });

  it('bills counting time past the minimum, and one PUT per file with --per-file', () => {
    const estimate = estimateCost({ objects: 100, bytes: 100 * 48e6 * 2 * 3600, shards: 100, perFile: true });
    // Each child counts 3,600 s at 96 MB/s, plus the default overhead.
    expect(estimate.vcpuHours).toBeCloseTo((100 * (3600 + DEFAULT_COMPUTE.overheadSecondsPerChild) * 2) / 3600, 6);
    expect(estimate.requests.put).toBe(100 + 2 + 100 + 100 + 1);
    expect(estimate.requests.list).toBe(1 + 1);
  });

  it('prints objects, requests, hours and dollars with the date of the prices', () => {
    const text = formatCostEstimate(estimateCost({ objects: 5, bytes: 5000, shards: 1 })).join('\n');
    expect(text).toContain(`priced ${US_EAST_1_PRICES.pricedOn}`);
    expect(text).toMatch(/LIST 2, GET 9, PUT 5/);
    expect(text).toMatch(/vCPU-hours/);
    expect(text).toMatch(/total +\$/);
  });
});

describe('cost flags', () => {
  it('sets unit prices by name and refuses anything else', () => {
    expect(parsePriceFlags(['vcpu-hour=0.05', 'get-1000=0']).vcpuHour).toBe(0.05);
    expect(parsePriceFlags([]).source).toBe(US_EAST_1_PRICES.source);
    expect(() => parsePriceFlags(['cpu=1'])).toThrow('--price must be NAME=DOLLARS');
    expect(() => parsePriceFlags(['vcpu-hour=-1'])).toThrow('--price');
    expect(parseThroughputFlag('60', 48)).toBe(60);
    expect(parseThroughputFlag(undefined, 48)).toBe(48);
    expect(() => parseThroughputFlag('0', 48)).toThrow('--throughput-per-vcpu');
  });
});

describe('actualCost', () => {
  it('prices what happened exactly as the estimate prices what it expects', () => {
    const totals = { objects: 1000, bytes: 40 * 48e6 * 2 * 600, shards: 40 };
    const estimate = estimateCost(totals);
    // Every child took the counting time the estimate assumed (600 s), and the requests were the estimated ones.
    const actual = actualCost({
      ...totals,
      requests: { plan: { list: estimate.requests.list - 1, put: 0 }, migrate: { list: 0, get: estimate.requests.get, put: estimate.requests.put }, merge: { list: 1, get: 0, put: 0 } },
      childDurationsMs: Array(40).fill(600_000),
    });
    expect(actual.requests).toEqual(estimate.requests);
    expect(actual.vcpuHours).toBeCloseTo(estimate.vcpuHours, 10);
    expect(actual.memoryGbHours).toBeCloseTo(estimate.memoryGbHours, 10);
    expect(actual.dollars.total).toBeCloseTo(estimate.dollars.total, 10);
  });

  it("bills a short child Fargate's minute and leaves out stages that recorded no requests", () => {
    const actual = actualCost({ objects: 1, bytes: 1, shards: 1, requests: { merge: { list: 1, get: 2, put: 2 } }, childDurationsMs: [1] });
    expect(actual.vcpuHours).toBeCloseTo((60 + 0.001) / 3600 * DEFAULT_COMPUTE.vcpusPerChild, 10);
    expect(actual.requests).toEqual({ list: 1, get: 2, put: 2 });
  });
});
