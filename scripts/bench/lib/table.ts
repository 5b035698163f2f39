/**
 * The bench's tables, as Markdown: a header row, a separator and the rows, every column padded to
 * its widest cell, so the output reads as a table in a terminal and pastes into the README.
 * @packageDocumentation
 */

/** `rows` (the first is the header) as the lines of a Markdown table. */
export function formatMarkdownTable(rows: readonly (readonly string[])[]): string {
  const header = rows[0];
  if (header === undefined) throw new Error('Expected a header row, got no rows');
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => `| ${widths.map((w, j) => (r[j] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
