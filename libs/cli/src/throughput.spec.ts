import { megabytesPerSecond } from './throughput';

describe('megabytesPerSecond', () => {
  it('rounds to two decimals and survives a zero duration', () => {
    expect(megabytesPerSecond(3_000_000, 2000)).toBe(1.5);
    expect(megabytesPerSecond(1_234_567, 1000)).toBe(1.23);
    expect(megabytesPerSecond(5, 0)).toBe(0);
  });
});
