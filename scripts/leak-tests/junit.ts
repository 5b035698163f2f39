/**
 * The JUnit XML report (`--junit <file>`): one `<testsuite>` per scenario file, one `<testcase>`
 * per scenario×version run; a failed run carries a `<failure>` whose text is the run's details
 * (reasons, grouped leak report, `LEAK:` texts, open handles). A check the level cannot decide is
 * a `<testcase>` of its own with `<skipped>` and the reason (the run's testcase still passes or
 * fails on the checks it made); suites with such testcases count them in a `skipped` attribute. Malformed scenario files, and `--target`s that failed to load, are `<error>`s in a suite of their own.
 * @packageDocumentation
 */
import { formatRunDetails } from './format-text';
import { formatLoadError, runLabel, skippedChecksOf, type LeakTestsReport, type RunResult } from './report';

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

/** `step 4 (expectGcLeaks) at f.json:17: needs ...` → the check (`step 4 (expectGcLeaks)`) and why. */
function splitSkipped(check: string): { name: string; reason: string } {
  const m = /^(step \S+ \(\w+\)) at (?:.*?:\d+): (.*)$/s.exec(check);
  return m === null ? { name: check, reason: check } : { name: m[1]!, reason: m[2]! };
}

/** One `<testcase>` per skipped check of `r`, marked `<skipped>` with the reason. */
function skippedTestcases(r: RunResult): string[] {
  return skippedChecksOf(r).map((check) => {
    const { name, reason } = splitSkipped(check);
    const head = `    <testcase${attrs({ name: `${runLabel(r)} ${name}`, classname: `leak-tests.${r.kind}.${r.scenario}`, file: r.file, time: '0.000' })}>`;
    return `${head}<skipped${attrs({ message: reason })}/></testcase>`;
  });
}

function testcase(r: RunResult): string[] {
  const head = `    <testcase${attrs({
    name: runLabel(r),
    classname: `leak-tests.${r.kind}.${r.scenario}`,
    file: r.file,
    line: r.location.line,
    time: seconds(r.durationMs),
  })}`;
  if (r.passed) return [`${head}/>`];
  return [
    `${head}>`,
    `      <failure${attrs({ message: r.mismatches[0] ?? 'failed', type: 'LeakTestFailure' })}>${escapeXml(formatRunDetails(r).join('\n'))}</failure>`,
    '    </testcase>',
  ];
}

/** The report as a JUnit XML document. */
export function formatJUnit(report: LeakTestsReport): string {
  const byFile = new Map<string, RunResult[]>();
  for (const r of report.results) {
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  const malformed = new Map<string, string[]>();
  for (const e of report.loadErrors) {
    const list = malformed.get(e.file) ?? [];
    list.push(formatLoadError(e));
    malformed.set(e.file, list);
  }
  const skipped = report.results.reduce((n, r) => n + skippedChecksOf(r).length, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: 'leak-tests',
      tests: report.totals.runs + skipped + malformed.size + (report.targetErrors?.length ?? 0),
      failures: report.totals.failed,
      errors: malformed.size + (report.targetErrors?.length ?? 0),
      ...(skipped > 0 ? { skipped } : {}),
      time: seconds(report.durationMs),
    })}>`,
  ];
  for (const [file, runs] of byFile) {
    const failures = runs.filter((r) => !r.passed).length;
    const time = runs.reduce((t, r) => t + r.durationMs, 0);
    const skippedHere = runs.reduce((n, r) => n + skippedChecksOf(r).length, 0);
    out.push(`  <testsuite${attrs({ name: runs[0]!.scenario, file, tests: runs.length + skippedHere, failures, errors: 0, ...(skippedHere > 0 ? { skipped: skippedHere } : {}), time: seconds(time) })}>`);
    for (const r of runs) out.push(...testcase(r), ...skippedTestcases(r));
    out.push('  </testsuite>');
  }
  if (malformed.size > 0) {
    out.push(`  <testsuite${attrs({ name: 'malformed scenario files', tests: malformed.size, failures: 0, errors: malformed.size, time: '0.000' })}>`);
    for (const [file, messages] of malformed) {
      out.push(`    <testcase${attrs({ name: file, classname: 'leak-tests.malformed', file, time: '0.000' })}>`);
      out.push(`      <error${attrs({ message: messages[0]!, type: 'MalformedScenarioFile' })}>${escapeXml(messages.join('\n'))}</error>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  const targetErrors = report.targetErrors ?? [];
  if (targetErrors.length > 0) {
    out.push(`  <testsuite${attrs({ name: 'modules', tests: targetErrors.length, failures: 0, errors: targetErrors.length, time: '0.000' })}>`);
    for (const e of targetErrors) {
      out.push(`    <testcase${attrs({ name: e.replace(/: .*$/s, ''), classname: 'leak-tests.modules', time: '0.000' })}>`);
      out.push(`      <error${attrs({ message: e, type: 'ModuleLoadError' })}>${escapeXml(e)}</error>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
