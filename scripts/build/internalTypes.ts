/**
 * Keeps internal modules out of the published types. TypeScript's `stripInternal` drops
 * declarations marked `@internal`, but a module marked `@internal` as a whole (its first comment
 * says so, as under `internal/` folders) still gets a `.d.ts`. Here `@internal` on a module means
 * "not an entry point": some of them declare types that an entry re-exports (`LeakTracker`,
 * `LeakRecord`), and their `.d.ts` must stay for the public types to compile. The build removes
 * the `.d.ts` of every internal module that no entry's declarations reach.
 *
 * TypeScript reads a module comment as the comment of the module's first statement: marked
 * `@internal`, that statement (an import the declarations need) is stripped. The build hands the
 * declaration emit a copy of such a source whose module comment says "(internal module)" instead.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A source's first comment, when it is a doc comment (after a shebang line, if any). */
const MODULE_COMMENT = /^(?:#![^\n]*\n)?\s*\/\*\*([\s\S]*?)\*\//;

/** Whether the source's first comment (its module comment) is marked `@internal`. */
export function isInternalModule(sourceText: string): boolean {
  const m = MODULE_COMMENT.exec(sourceText);
  return m !== null && /(^|\s|\*)@internal\b/.test(m[1]!);
}

/** `sourceText` with its module comment's `@internal` tags reworded, for the declaration emit. */
export function withoutModuleInternalTag(sourceText: string): string {
  const m = MODULE_COMMENT.exec(sourceText);
  if (m === null || !isInternalModule(sourceText)) return sourceText;
  const end = m.index + m[0].length;
  return sourceText.slice(0, end).replace(/@internal\b/g, '(internal module)') + sourceText.slice(end);
}

/** Relative module specifiers a declaration file imports (`from './x'`, `import('./x')`). */
export function relativeImports(dtsText: string): string[] {
  const found = new Set<string>();
  for (const m of dtsText.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) found.add(m[1]!);
  return [...found].sort();
}

/** The declaration file a specifier in `fromFile` stands for, or null when there is none. */
function resolveDeclaration(fromFile: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.(c|m)?js$/, ''));
  const ext = fromFile.endsWith('.d.mts') && specifier.endsWith('.mjs') ? '.d.mts' : '.d.ts';
  for (const candidate of [`${base}${ext}`, path.join(base, `index${ext}`)]) if (fs.existsSync(candidate)) return candidate;
  return null;
}

/** Every declaration file reachable from `roots` by relative imports, sorted. */
export function reachableDeclarations(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of relativeImports(fs.readFileSync(file, 'utf8'))) {
      const target = resolveDeclaration(file, spec);
      if (target !== null) queue.push(target);
    }
  }
  return [...seen].sort();
}

/**
 * Removes the `.d.ts` of every internal module among `declarations` (each paired with the source
 * it came from) that no file of `publicRoots` reaches; returns the removed files, sorted.
 */
export function removeInternalDeclarations(declarations: readonly { dts: string; source: string }[], publicRoots: readonly string[]): string[] {
  const reachable = new Set(reachableDeclarations(publicRoots));
  const removed = declarations.filter((d) => !reachable.has(d.dts) && isInternalModule(fs.readFileSync(d.source, 'utf8'))).map((d) => d.dts);
  for (const dts of removed) fs.rmSync(dts);
  return removed.sort();
}
