import { ExitCode, RETRYABLE_EXIT_CODES } from '@wordbatch/errors';
import { type EvaluateOnExitRule, retryStrategy } from './retry';

interface AttemptOutcome {
  readonly exitCode?: number;
  readonly reason?: string;
  readonly statusReason?: string;
}

// Batch's documented matching: a pattern is exact unless it ends with "*", which matches
// any rest; a rule applies when all its conditions match; no matching rule means RETRY.
function globMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return false;
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

function decide(rules: readonly EvaluateOnExitRule[], outcome: AttemptOutcome): 'RETRY' | 'EXIT' {
  const rule = rules.find(
    (candidate) =>
      globMatches(candidate.onExitCode, outcome.exitCode?.toString()) &&
      globMatches(candidate.onReason, outcome.reason) &&
      globMatches(candidate.onStatusReason, outcome.statusReason),
  );
  return rule?.action ?? 'RETRY';
}

describe('retryStrategy', () => {
  const strategy = retryStrategy(3);

  it('keeps the attempts and stays within the five rules Batch reads', () => {
    expect(strategy.attempts).toBe(3);
    expect(strategy.evaluateOnExit.length).toBeLessThanOrEqual(5);
  });

  it('retries a transient failure (exit code 75)', () => {
    expect(RETRYABLE_EXIT_CODES).toContain(75);
    expect(decide(strategy.evaluateOnExit, { exitCode: 75 })).toBe('RETRY');
  });

  it.each([1, 2, 3, 4, 5])('never retries exit code %i', (exitCode) => {
    expect(decide(strategy.evaluateOnExit, { exitCode, statusReason: 'Essential container in task exited' })).toBe(
      'EXIT',
    );
  });

  it('retries exactly the codes the cli lib marks retryable', () => {
    for (const exitCode of Object.values(ExitCode).filter((code) => code !== ExitCode.Ok)) {
      const expected = RETRYABLE_EXIT_CODES.includes(exitCode) ? 'RETRY' : 'EXIT';
      expect({ exitCode, action: decide(strategy.evaluateOnExit, { exitCode }) }).toEqual({
        exitCode,
        action: expected,
      });
    }
  });

  it('retries when the EC2 host or Spot instance went away, whatever the exit code', () => {
    const statusReason = 'Host EC2 (instance i-0123456789abcdef0) terminated.';
    expect(decide(strategy.evaluateOnExit, { statusReason })).toBe('RETRY');
    expect(decide(strategy.evaluateOnExit, { statusReason, exitCode: ExitCode.Terminated })).toBe('RETRY');
  });

  it.each([
    'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
    'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed',
  ])('retries a task that never started (%s)', (reason) => {
    expect(decide(strategy.evaluateOnExit, { reason, statusReason: 'Task failed to start' })).toBe('RETRY');
  });

  it('does not mistake a container that ran and failed for one that never started', () => {
    expect(
      decide(strategy.evaluateOnExit, { exitCode: 4, statusReason: 'Essential container in task exited' }),
    ).toBe('EXIT');
    expect(decide(strategy.evaluateOnExit, { reason: 'OutOfMemoryError: Container killed due to memory usage' })).toBe(
      'EXIT',
    );
  });

  it('ends with rules that match anything, so Batch never falls back to retrying', () => {
    expect(strategy.evaluateOnExit.slice(-2)).toEqual([
      { action: 'EXIT', onExitCode: '*' },
      { action: 'EXIT', onReason: '*' },
    ]);
  });

  it('refuses more retryable codes than Batch has rules for', () => {
    expect(() => retryStrategy(3, [75, 76, 77, 78])).toThrow(/allows 5 evaluateOnExit rules; 8 needed/);
  });
});
