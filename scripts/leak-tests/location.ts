/**
 * Where a failed run points: the scenario step to annotate (GitHub `::error file=...,line=...`).
 * The engine names steps in its texts: a failed expectation says `step 5 (expectCallback) at
 * file:line: ...`, an error names its step index, and every buffer a step creates is touched with
 * a hint like `step 3 write (scenarios/cases/bug/x.json:14)`. The first of these that names the
 * scenario's own file wins; otherwise the first step, or line 1.
 * @packageDocumentation
 */
import type { LeakReport } from '../../harness';
import type { LoadedScenario, ObservedResult } from './engine';
import type { SourceLocation } from './report';

/** `file:line` inside a text, where `file` ends in `.json` or `.ts` (the scenario file). */
const FILE_LINE = /([^\s()]+\.(?:json|ts)):(\d+)/g;

function locationIn(text: string, file: string): SourceLocation | undefined {
  for (const m of text.matchAll(FILE_LINE)) {
    if (m[1] === file) return { file, line: Number(m[2]) };
  }
  return undefined;
}

/** The step hint of the oldest record of the first leaked buffer: the step that made it. */
function leakStepLocation(report: LeakReport, file: string): SourceLocation | undefined {
  for (const group of report.groups) {
    for (const buffer of group.buffers) {
      for (let i = buffer.records.length - 1; i >= 0; i--) {
        const hint = buffer.records[i]!.hint;
        const loc = hint !== undefined ? locationIn(hint, file) : undefined;
        if (loc !== undefined) return loc;
      }
    }
  }
  return undefined;
}

/** The step a failure points at: named by a failed expectation or mismatch, the error, or the leaked buffer's step. */
export function failureLocation(
  scenario: LoadedScenario,
  observed: ObservedResult,
  report: LeakReport,
  mismatches: readonly string[],
): SourceLocation {
  const file = scenario.file;
  for (const text of [...observed.failedExpectations, ...mismatches]) {
    const loc = locationIn(text, file);
    if (loc !== undefined) return loc;
  }
  if (observed.error !== undefined) {
    const loc = locationIn(observed.error, file);
    if (loc !== undefined) return loc;
  }
  const leak = leakStepLocation(report, file);
  if (leak !== undefined) return leak;
  return { file, line: scenario.stepLines[0] ?? 1 };
}
