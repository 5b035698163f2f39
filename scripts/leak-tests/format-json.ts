/**
 * The JSON report (`--format json`, `--json <file>`): the {@link LeakTestsReport} as is. The
 * merge script reads these files back with {@link parseJsonReport}.
 * @packageDocumentation
 */
import { ReportMergeError } from './errors';
import { REPORT_FORMAT, REPORT_VERSION, type LeakTestsReport } from './report';

/** The report as indented JSON text, ending with a newline. */
export function formatJsonReport(report: LeakTestsReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a JSON report written by `leak-tests --json`. Checks the marker, the version and the
 * fields the merge needs; throws a {@link ReportMergeError} naming `source` otherwise.
 */
export function parseJsonReport(text: string, source: string): LeakTestsReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportMergeError(`${source}: not JSON (${(error as Error).message})`);
  }
  if (!isObject(value) || value['format'] !== REPORT_FORMAT) {
    throw new ReportMergeError(`${source}: not a leak-tests report (expected "format": "${REPORT_FORMAT}")`);
  }
  if (value['version'] !== REPORT_VERSION) {
    throw new ReportMergeError(`${source}: expected report version ${REPORT_VERSION}, got ${JSON.stringify(value['version'])}`);
  }
  for (const key of ['results', 'rows', 'loadErrors', 'versions'] as const) {
    if (!Array.isArray(value[key])) throw new ReportMergeError(`${source}: expected "${key}" to be an array`);
  }
  if (typeof value['plannedRuns'] !== 'number' || typeof value['level'] !== 'string') {
    throw new ReportMergeError(`${source}: expected "plannedRuns" (a number) and "level" (a string)`);
  }
  return value as unknown as LeakTestsReport;
}
