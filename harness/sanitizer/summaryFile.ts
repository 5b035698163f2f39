/**
 * Writing a reporter's JSON leak summary (`outputFile`), shared by the runner reporters: written to
 * a temporary file renamed into place, so no reader sees half of it; a write that fails is reported
 * as one line and returned as a `LeakSummaryWriteError` (the run must fail: a CI job must not go
 * on without its report).
 * @packageDocumentation
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../internal/writeFileAtomic';
import { LeakSummaryWriteError } from './errors';
import type { LeakRunSummary } from './summary';

/** Writes `summary` to `file`; adds the line that says where it went, or why not, to `lines`. */
export function writeSummaryFile(summary: LeakRunSummary, file: string, lines: string[]): LeakSummaryWriteError | undefined {
  const shown = path.relative(process.cwd(), file) || file;
  try {
    writeFileAtomic(file, `${JSON.stringify(summary, null, 2)}\n`);
    lines.push(`leak-sanitizer: summary written to ${shown}`);
    return undefined;
  } catch (error) {
    const message = `cannot write the leak summary to ${shown}: ${(error as Error).message}`;
    lines.push(`leak-sanitizer: ${message}`);
    return new LeakSummaryWriteError(message, { cause: error });
  }
}
