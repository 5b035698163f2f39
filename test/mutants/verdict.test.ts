/** The verdict on a mutant from how the gate ended. */
import { verdictOf, type GateOutcome } from '../../scripts/mutants/verdict';

function report(results: { scenario: string; version: string; passed: boolean }[]): string {
  return JSON.stringify({ format: 'leak-tests-report', version: 1, results });
}

const ended = (exitCode: number | null, stdout = '', stderr = '', timedOut = false): GateOutcome => ({ exitCode, stdout, stderr, timedOut });

describe('verdictOf', () => {
  it('a gate that passes: the mutant survived', () => {
    expect(verdictOf(ended(0, report([{ scenario: 'a', version: 'fixed', passed: true }])))).toEqual({ status: 'survived' });
  });

  it('exit 1: caught by the scenarios that failed, in report order', () => {
    const out = report([
      { scenario: 'a', version: 'fixed', passed: true },
      { scenario: 'b', version: 'fixed', passed: false },
      { scenario: 'c', version: 'fixed', passed: false },
    ]);
    expect(verdictOf(ended(1, out))).toEqual({ status: 'caught', by: 'b (fixed), c (fixed)' });
  });

  it('names the first three failed scenarios and counts the rest', () => {
    const out = report(['a', 'b', 'c', 'd', 'e'].map((scenario) => ({ scenario, version: 'fixed', passed: false })));
    expect(verdictOf(ended(1, out))).toEqual({ status: 'caught', by: 'a (fixed), b (fixed), c (fixed) and 2 more' });
  });

  it('exit 1 with every result as expected: an open handle', () => {
    expect(verdictOf(ended(1, report([{ scenario: 'a', version: 'fixed', passed: true }])))).toEqual({
      status: 'caught',
      by: 'an open handle (every result as expected)',
    });
  });

  it('killed at the time limit: caught, and says so', () => {
    expect(verdictOf(ended(null, '', '', true))).toEqual({ status: 'caught', by: 'the time limit (the gate did not finish)' });
  });

  it('a crash or an unreadable report: caught as a gate error with the last line of stderr', () => {
    expect(verdictOf(ended(2, '', 'at x\nTypeError: boom\n'))).toEqual({ status: 'caught', by: 'a gate error (exit 2: TypeError: boom)' });
    expect(verdictOf(ended(1, 'not json', ''))).toEqual({ status: 'caught', by: 'a gate error (exit 1)' });
  });
});
