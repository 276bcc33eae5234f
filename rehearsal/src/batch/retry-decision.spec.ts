import { patternMatches, shouldRetry } from './retry-decision';

describe("Batch's retry decision", () => {
  const strategy = {
    attempts: 3,
    evaluateOnExit: [
      { action: 'RETRY', onStatusReason: 'Host EC2*' },
      { action: 'RETRY', onExitCode: '75' },
      { action: 'EXIT', onExitCode: '*' },
    ],
  };
  const exited = (exitCode: number) => ({ exitCode, statusReason: 'Essential container in task exited', timedOut: false });

  it('matches patterns exactly, or by prefix when they end with *', () => {
    expect(patternMatches('75', '75')).toBe(true);
    expect(patternMatches('7*', '75')).toBe(true);
    expect(patternMatches('7', '75')).toBe(false);
    expect(patternMatches('*', undefined)).toBe(false);
    expect(patternMatches(undefined, undefined)).toBe(true);
  });

  it('takes the first matching rule, up to the attempts', () => {
    expect(shouldRetry(strategy, 1, exited(75))).toBe(true);
    expect(shouldRetry(strategy, 2, exited(75))).toBe(true);
    expect(shouldRetry(strategy, 3, exited(75))).toBe(false);
    expect(shouldRetry(strategy, 1, exited(2))).toBe(false);
  });

  it('retries when no rule matches, and never after a timeout', () => {
    expect(shouldRetry({ attempts: 2, evaluateOnExit: [{ action: 'EXIT', onExitCode: '2' }] }, 1, exited(1))).toBe(true);
    expect(shouldRetry({ attempts: 2 }, 1, exited(1))).toBe(true);
    expect(shouldRetry(undefined, 1, exited(1))).toBe(false);
    expect(shouldRetry(strategy, 1, { exitCode: 75, statusReason: 'Job attempt duration exceeded timeout', timedOut: true })).toBe(false);
  });
});
