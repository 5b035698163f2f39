/**
 * The text report: the matrix (one row per scenario, one column per version, cells
 * `expected/observed ok|FAIL`), then for each unexpected result its reasons, the grouped leak
 * report, Netty-style `LEAK:` texts and open handles, then the checks skipped at this level, the
 * malformed files, the `--target` and `--steps` modules that failed to load, and the closing line `leak-tests: N passed, N failed` alone on the last line.
 * @packageDocumentation
 */
import { formatFrame, formatLeakReport } from '../../harness';
import type { ExpectedResult, ObservedResult } from './engine';
import { formatShard } from './shard';
import { closingLine, formatLoadError, runLabel, skippedChecksOf, type LeakTestsReport, type RunResult } from './report';

/** What the cells mean, printed under the matrix. */
export const LEGEND =
  'cells: expected/observed leaks (+NR: N over-releases); ok = as expected, FAIL = differs (see below), - = not run';

/** Under the legend when a run skipped checks: what `(N skipped)` means. */
export const SKIPPED_LEGEND =
  '(N skipped) = N checks this level cannot decide (they need GC-path reports or records it does not make): neither passed nor failed, listed below';

/** `2` or `0+1R`: leaks, plus over-releases when there are any. */
function countText(r: ExpectedResult | ObservedResult): string {
  return r.overReleases > 0 ? `${r.leaks}+${r.overReleases}R` : `${r.leaks}`;
}

/** One matrix cell: `2/2 ok`, `0/1 FAIL`, `1/1 ok (2 skipped)`, `-`. */
export function cellText(result: RunResult | undefined): string {
  if (result === undefined) return '-';
  const skipped = skippedChecksOf(result).length;
  return `${countText(result.expected)}/${countText(result.observed)} ${result.passed ? 'ok' : 'FAIL'}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

/** The matrix lines (header, rule, rows, legend). */
export function formatMatrix(report: LeakTestsReport): string[] {
  if (report.rows.length === 0) return ['(no scenario ran)'];
  const byKey = new Map(report.results.map((r) => [`${r.file}\0${r.version}`, r]));
  const header = ['scenario', 'kind', ...report.versions];
  const body = report.rows.map((row) => [
    row.scenario,
    row.kind,
    ...report.versions.map((v) => cellText(byKey.get(`${row.file}\0${v}`))),
  ]);
  const lines = table([header, header.map((h) => '-'.repeat(h.length)), ...body]);
  // The rule under the header spans each column's full width.
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((r) => r[c]!.length)));
  lines[1] = widths.map((w) => '-'.repeat(w)).join('  ');
  const anySkipped = report.results.some((r) => skippedChecksOf(r).length > 0);
  return [...lines, LEGEND, ...(anySkipped ? [SKIPPED_LEGEND] : [])];
}

/** Every skipped check, by run: `name [version]: step N (type) at file:line: why`. */
export function formatSkippedChecks(report: LeakTestsReport): string[] {
  const lines = report.results.flatMap((r) => skippedChecksOf(r).map((c) => `  ${runLabel(r)}: ${c}`));
  if (lines.length === 0) return [];
  return [`Skipped checks (${lines.length}, at level ${report.level}; neither passed nor failed):`, ...lines];
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((l) => (l === '' ? '' : `${prefix}${l}`));
}

/** The details of one run: reasons, leak report, GC-path texts, open handles. */
export function formatRunDetails(r: RunResult): string[] {
  const out = [`${r.passed ? 'LEAKS (as expected)' : 'FAIL'} ${runLabel(r)} at ${r.location.file}:${r.location.line}`];
  for (const m of r.mismatches) {
    const [first, ...rest] = m.split('\n');
    out.push(`  - ${first}`, ...rest.map((l) => `    ${l}`));
  }
  if (r.report.leakCount > 0 || r.report.misuses.length > 0) {
    out.push('  Leak report:');
    out.push(...indent(formatLeakReport(r.report), '    '));
  }
  if (r.gcLeaks.length > 0) {
    out.push('  GC path:');
    for (const g of r.gcLeaks) out.push(...indent(g.text, '    '));
  }
  if (r.openHandles.length > 0) {
    out.push('  Open handles:');
    for (const h of r.openHandles) {
      out.push(`    ${h.type}${h.refed ? '' : " (unref'd)"} created`);
      out.push(...h.createdAt.slice(0, 8).map((f) => `        at ${formatFrame(f)}`));
      if (h.seenBy.length > 0) out.push(`      also seen open by ${h.seenBy.join(' and ')}`);
    }
  }
  return out;
}

/** `81 runs of 27 scenarios at level paranoid (shard 1/2) in 0.6 s`. */
function runSummary(report: LeakTestsReport): string {
  const shards = report.shards === null ? '' : `, shard${report.shards.length > 1 ? 's' : ''} ${report.shards.map(formatShard).join(', ')} of ${report.plannedRuns} planned runs`;
  const handles = report.totals.openHandles > 0 ? `, ${report.totals.openHandles} open handle(s)` : '';
  const skippedCount = report.results.reduce((n, r) => n + skippedChecksOf(r).length, 0);
  const skipped = skippedCount > 0 ? `, ${skippedCount} check(s) skipped` : '';
  return `${report.totals.runs} run(s) of ${report.rows.length} scenario(s) at level ${report.level}${shards}${handles}${skipped} in ${(report.durationMs / 1000).toFixed(2)} s`;
}

/**
 * The whole text report. `verbose` also details runs that passed with (expected) leaks, e.g. the
 * legacy channel's leaks with their sites.
 */
export function formatTextReport(report: LeakTestsReport, verbose = false): string {
  const out: string[] = [...formatMatrix(report)];
  const detailed = report.results.filter(
    (r) => !r.passed || (verbose && (r.observed.leaks > 0 || r.observed.overReleases > 0 || r.gcLeaks.length > 0)),
  );
  for (const r of detailed) out.push('', ...formatRunDetails(r));
  const skipped = formatSkippedChecks(report);
  if (skipped.length > 0) out.push('', ...skipped);
  if (report.loadErrors.length > 0) {
    out.push('', `Malformed scenario files (${report.totals.malformedFiles}; the other files ran; exit code 2):`);
    for (const e of report.loadErrors) out.push(`  ${formatLoadError(e)}`);
  }
  const targetErrors = report.targetErrors ?? [];
  if (targetErrors.length > 0) {
    out.push('', `Modules that failed to load (${targetErrors.length}; --target, --steps; the others ran; exit code 2):`);
    for (const e of targetErrors) out.push(`  ${e}`);
  }
  out.push('', runSummary(report), closingLine(report.totals));
  return `${out.join('\n')}\n`;
}
