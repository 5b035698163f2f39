/**
 * The table `npm run bench -- --instructions` prints: one row per comparison, instructions per
 * unit of the baseline and the subject, their ratio, the goal and whether it is met.
 * @packageDocumentation
 */
import { formatMarkdownTable } from '../lib/table';

/** A row's figures: Ir per unit of each side, and the goal (null: none). */
export interface InstructionRow {
  readonly name: string;
  readonly unit: string;
  readonly baselinePerUnit: number;
  readonly subjectPerUnit: number;
  readonly goal: number | null;
}

export const TABLE_HEADER = ['comparison', 'baseline Ir/unit', 'subject Ir/unit', 'ratio', 'goal', 'met?'] as const;

/** Instructions per unit as printed: whole numbers with thousands separators (`12,345`). */
export const formatIr = (ir: number): string => Math.round(ir).toLocaleString('en-US');

/** A row's cells. The ratio is subject / baseline; met when it is at most the goal. */
export function rowCells(row: InstructionRow): string[] {
  const ratio = row.subjectPerUnit / row.baselinePerUnit;
  const met = row.goal === null ? '' : ratio <= row.goal ? 'yes' : 'NO';
  return [`${row.name} (per ${row.unit})`, formatIr(row.baselinePerUnit), formatIr(row.subjectPerUnit), `${ratio.toFixed(2)}x`, row.goal === null ? '-' : `<= ${row.goal}x`, met];
}

/** The rows as a Markdown table (header, separator, one line per row), columns padded to line up. */
export function formatInstructionTable(rows: readonly InstructionRow[]): string {
  return formatMarkdownTable([[...TABLE_HEADER], ...rows.map(rowCells)]);
}
