/**
 * Where each entry's files land in dist/, and the package.json fields (`exports`, `main`, `types`,
 * `bin`) that point at them: pure functions of the table in `entries.ts`, so the build that writes
 * the files and the check that compares package.json use the same answer.
 * @packageDocumentation
 */
import { BINS, ENTRIES, OUT_DIR, type Entry } from './entries';
import { BuildError } from './errors';

/** The files dist/ holds for one entry, relative to the package root (`./dist/...`). */
export interface EntryFiles {
  /**
   * The CommonJS module (for a hand-written `.mjs` entry only when a hand-written `.cjs` is beside
   * it: e.g. one that says, when required, how the entry must be loaded).
   */
  readonly cjs?: string;
  /** Its declarations. */
  readonly dts?: string;
  /** The ESM module: the wrapper, or the hand-written file. */
  readonly mjs: string;
  /** Its declarations (for a hand-written `.mjs` entry only when a `.d.mts` is beside it). */
  readonly dmts?: string;
}

/** `harness/index.ts` → `./dist/harness/index` (no extension). */
function outBase(source: string): string {
  return `./${OUT_DIR}/${source.replace(/\.(ts|mjs)$/, '')}`;
}

/** Whether the entry is a hand-written ESM file, copied as it is. */
export function isHandWrittenEsm(entry: Entry): boolean {
  return entry.source.endsWith('.mjs');
}

/** The hand-written `.d.mts` that may sit beside a hand-written `.mjs` source. */
export function handWrittenTypes(source: string): string {
  return source.replace(/\.mjs$/, '.d.mts');
}

/** Tells whether a file (relative to the package root) exists: a file-system question the caller answers. */
export type Exists = (relative: string) => boolean;

/**
 * The files of `entry` in dist/. A hand-written `.mjs` source may have, beside it, its `.d.mts`,
 * and a hand-written `.cjs` (with its `.d.cts`) for the `require` condition.
 */
export function entryFiles(entry: Entry, exists: Exists): EntryFiles {
  const base = outBase(entry.source);
  if (!isHandWrittenEsm(entry)) return { cjs: `${base}.js`, dts: `${base}.d.ts`, mjs: `${base}.mjs`, dmts: `${base}.d.mts` };
  const stem = entry.source.replace(/\.mjs$/, '');
  return {
    mjs: `${base}.mjs`,
    ...(exists(`${stem}.d.mts`) ? { dmts: `${base}.d.mts` } : {}),
    ...(exists(`${stem}.cjs`) ? { cjs: `${base}.cjs` } : {}),
    ...(exists(`${stem}.cjs`) && exists(`${stem}.d.cts`) ? { dts: `${base}.d.cts` } : {}),
  };
}

/** A condition object: `types` first (TypeScript requires it before `default`), then `default`. */
function conditions(types: string | undefined, target: string): Record<string, string> {
  return types === undefined ? { default: target } : { types, default: target };
}

/** The `exports` value of one entry: `import` and `require` each with their own `types`. */
function exportTarget(files: EntryFiles): unknown {
  if (files.cjs === undefined) return { import: conditions(files.dmts, files.mjs) };
  return { import: conditions(files.dmts, files.mjs), require: conditions(files.dts, files.cjs) };
}

/** The package.json fields the table decides. */
export interface PackageFields {
  main: string;
  types: string;
  /**
   * The subpaths' CommonJS types for TypeScript's `node10` resolution (`moduleResolution: node`,
   * the default of `module: commonjs`), which does not read `exports`.
   */
  typesVersions: Record<string, Record<string, string[]>>;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
}

/** The package.json fields for `entries` and `bins`. */
export function packageFields(
  exists: Exists,
  entries: readonly Entry[] = ENTRIES,
  bins: Readonly<Record<string, string>> = BINS,
): PackageFields {
  const exportsMap: Record<string, unknown> = {};
  const subpathTypes: Record<string, string[]> = {};
  for (const entry of entries) {
    const files = entryFiles(entry, exists);
    exportsMap[entry.subpath] = exportTarget(files);
    const types = files.dts ?? files.dmts;
    if (entry.subpath !== '.' && types !== undefined) subpathTypes[entry.subpath.slice(2)] = [types];
  }
  exportsMap['./package.json'] = './package.json';
  const root = entries.find((e) => e.subpath === '.');
  if (root === undefined || isHandWrittenEsm(root)) throw new BuildError('Expected the entry table to have a TypeScript "." entry');
  const rootFiles = entryFiles(root, exists);
  const bin: Record<string, string> = {};
  for (const [name, source] of Object.entries(bins)) bin[name] = `${outBase(source).slice(2)}.js`;
  return { main: rootFiles.cjs!, types: rootFiles.dts!, typesVersions: { '*': subpathTypes }, exports: exportsMap, bin };
}
