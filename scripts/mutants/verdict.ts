/**
 * The verdict on one mutant, from what the leak gate did with it: caught (some scenario's result
 * differs from its expectation, or the gate errored or timed out) or survived (the gate passed).
 * @packageDocumentation
 */

/** How the gate's child process ended. */
export interface GateOutcome {
  /** Its exit code; null when it was killed. */
  readonly exitCode: number | null;
  /** True when the runner killed it for running past its time limit. */
  readonly timedOut: boolean;
  /** Its standard output: the `--format json` report. */
  readonly stdout: string;
  /** The end of its standard error, for the reason of a crash. */
  readonly stderr: string;
}

/** What the runner says about one mutant. */
export type Verdict =
  | { readonly status: 'caught'; readonly by: string }
  | { readonly status: 'survived' };

/** The parts of a `leak-tests-report` the verdict reads. */
interface ReportResult {
  readonly scenario: string;
  readonly version: string;
  readonly passed: boolean;
}

function failedRuns(stdout: string): ReportResult[] | undefined {
  try {
    const report = JSON.parse(stdout) as { format?: unknown; results?: unknown };
    if (report.format !== 'leak-tests-report' || !Array.isArray(report.results)) return undefined;
    return (report.results as ReportResult[]).filter((r) => !r.passed);
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]?.trim() ?? '';
}

/**
 * The verdict for a gate run: exit 0 is a survivor; exit 1 names the failed scenarios (the first
 * three, `and N more`); a time-out, a crash or an unreadable report is a catch that says so.
 */
export function verdictOf(outcome: GateOutcome): Verdict {
  if (outcome.timedOut) return { status: 'caught', by: 'the time limit (the gate did not finish)' };
  if (outcome.exitCode === 0) return { status: 'survived' };
  const failed = failedRuns(outcome.stdout);
  if (outcome.exitCode === 1 && failed !== undefined && failed.length > 0) {
    const names = failed.slice(0, 3).map((r) => `${r.scenario} (${r.version})`);
    const more = failed.length > 3 ? ` and ${failed.length - 3} more` : '';
    return { status: 'caught', by: names.join(', ') + more };
  }
  if (outcome.exitCode === 1 && failed !== undefined) return { status: 'caught', by: 'an open handle (every result as expected)' };
  const why = lastLine(outcome.stderr);
  return { status: 'caught', by: `a gate error (exit ${String(outcome.exitCode)}${why === '' ? '' : `: ${why}`})` };
}
