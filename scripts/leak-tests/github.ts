/**
 * GitHub Actions output when `GITHUB_ACTIONS=true`: `::error file=...,line=...::` annotations at
 * the scenario step of each failure (GitHub shows about 10 per step, so at most
 * {@link MAX_ANNOTATIONS}, then one warning saying where the rest is), and the full list as
 * Markdown for `$GITHUB_STEP_SUMMARY`.
 * @packageDocumentation
 */
import { cellText, formatRunDetails } from './format-text';
import { closingLine, formatLoadError, runLabel, type LeakTestsReport } from './report';

/** Error annotations printed per run; GitHub drops those past about 10 per step. */
export const MAX_ANNOTATIONS = 10;

/** Step summaries are limited to 1 MiB; details stop before that. */
const SUMMARY_BUDGET = 900_000;

/** Escapes a workflow command's message (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function errorCommand(file: string, line: number, title: string, message: string): string {
  return `::error file=${escapeProperty(file)},line=${line},title=${escapeProperty(title)}::${escapeData(message)}`;
}

/**
 * The annotation lines: malformed files first, then failed runs, at most `max` errors; a final
 * warning counts the rest and says where to find them.
 */
export function annotations(report: LeakTestsReport, hasStepSummary: boolean, max = MAX_ANNOTATIONS): string[] {
  const all: string[] = [];
  for (const e of report.loadErrors) {
    all.push(errorCommand(e.file, e.line ?? 1, 'leak-tests: malformed scenario file', `${e.jsonPath}: ${e.message}`));
  }
  for (const r of report.results) {
    if (r.passed) continue;
    const message = [...r.mismatches, r.report.summary].join('\n');
    all.push(errorCommand(r.location.file, r.location.line, `leak-tests: ${runLabel(r)}`, message));
  }
  if (all.length <= max) return all;
  const where = hasStepSummary ? 'the job summary' : 'the log';
  return [...all.slice(0, max), `::warning title=leak-tests::${all.length - max} more error(s) not annotated (GitHub shows about ${max} per step): see ${where}`];
}

/** The Markdown step summary: totals, the failing matrix rows, every failure's details, malformed files. */
export function stepSummary(report: LeakTestsReport): string {
  const out = [`## ${closingLine(report.totals)}`, ''];
  out.push(`${report.totals.runs} run(s) of ${report.rows.length} scenario(s) at level \`${report.level}\`.`, '');
  const failing = report.results.filter((r) => !r.passed);
  if (failing.length > 0) {
    const byKey = new Map(report.results.map((r) => [`${r.file}\0${r.version}`, r]));
    const rows = report.rows.filter((row) => failing.some((f) => f.file === row.file));
    out.push(`| scenario | kind | ${report.versions.join(' | ')} |`, `|---|---|${report.versions.map(() => '---|').join('')}`);
    for (const row of rows) {
      const cells = report.versions.map((v) => {
        const text = cellText(byKey.get(`${row.file}\0${v}`));
        return text.endsWith('FAIL') ? `**${text}**` : text;
      });
      out.push(`| \`${row.scenario}\` | ${row.kind} | ${cells.join(' | ')} |`);
    }
    out.push('', '### Failures', '');
    let used = out.join('\n').length;
    for (const [i, r] of failing.entries()) {
      const block = ['<details>', `<summary>${runLabel(r)} at ${r.location.file}:${r.location.line}</summary>`, '', '```text', ...formatRunDetails(r), '```', '</details>', ''];
      const size = block.join('\n').length;
      if (used + size > SUMMARY_BUDGET) {
        out.push(`(${failing.length - i} more failure(s) cut: the summary is limited to 1 MiB; see the log or the JUnit file)`);
        break;
      }
      out.push(...block);
      used += size;
    }
  }
  if (report.loadErrors.length > 0) {
    out.push('### Malformed scenario files', '');
    for (const e of report.loadErrors) out.push(`- \`${formatLoadError(e).replace(/`/g, "'")}\``);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
