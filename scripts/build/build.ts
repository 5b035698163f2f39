/**
 * `npm run build`: the library and the CLI compiled to dist/ (see entries.ts for what goes in).
 *
 * 1. dist/ is removed, so nothing stale ships;
 * 2. the entries and the bin are compiled (CommonJS, `.d.ts` without `@internal` declarations,
 *    `.js.map` with the sources inside);
 * 3. each compiled entry gets its ESM wrapper (`.mjs` + `.d.mts`, see wrappers.ts);
 * 4. the hand-written `.mjs` files under harness/ are copied as they are, with their `.d.mts`;
 * 5. internal modules lose their `.d.ts` (see internalTypes.ts);
 * 6. package.json's `main`, `types`, `exports` and `bin` are compared with the table: the build
 *    fails when they differ (`--write-package` rewrites them instead).
 *
 * The output depends only on the sources: same sources, same bytes.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeError } from '../leak-tests/uncaught';
import { buildOptions, compile } from './compile';
import { BINS, ENTRIES, OUT_DIR } from './entries';
import { BuildError } from './errors';
import { removeInternalDeclarations, withoutModuleInternalTag } from './internalTypes';
import { entryFiles, isHandWrittenEsm, packageFields } from './layout';
import { esmWrapper, valueExports } from './wrappers';
import type * as ts from 'typescript';
import { writePrecompiledValidator } from './validator';

// Plain JavaScript, shared with scripts/run-leak-tests.cjs, which runs before anything is compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { digestFileText, DIGEST_FILE } = require('./inputs.cjs') as { digestFileText(root: string): string; DIGEST_FILE: string };

/** The package root (scripts/build/../..). */
export const ROOT = path.resolve(__dirname, '..', '..');

const at = (relative: string): string => path.join(ROOT, relative);
const exists = (relative: string): boolean => fs.existsSync(at(relative));

/** Hand-written ESM files under `dir` (relative to the root), sorted. */
function handWrittenEsm(dir: string): string[] {
  if (!exists(dir)) return [];
  return (fs.readdirSync(at(dir), { recursive: true, encoding: 'utf8' }) as string[])
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')))
    .filter((f) => /\.(mjs|d\.mts|cjs|d\.cts)$/.test(f) && !f.endsWith(ESM_TYPES_SUFFIX))
    .sort();
}

/**
 * A hand-written `<entry>.esm.d.mts` beside an entry's source holds declarations its ESM face
 * needs of its own: a module augmentation (vitest's `Assertion`) made in the CommonJS `.d.ts`
 * reaches only what `vitest` resolves to under `require`, not what ESM test files see.
 */
const ESM_TYPES_SUFFIX = '.esm.d.mts';

/** Step 3: the ESM wrapper of each compiled entry. */
function writeWrappers(program: ts.Program): void {
  for (const entry of ENTRIES) {
    if (isHandWrittenEsm(entry)) continue;
    const files = entryFiles(entry, exists);
    const cjs = at(files.cjs!);
    const wrapper = esmWrapper(path.basename(cjs, '.js'), valueExports(program, at(entry.source)));
    const esmTypes = entry.source.replace(/\.ts$/, ESM_TYPES_SUFFIX);
    const extra = exists(esmTypes) ? `\n${fs.readFileSync(at(esmTypes), 'utf8')}` : '';
    fs.writeFileSync(at(files.mjs), wrapper.mjs);
    fs.writeFileSync(at(files.dmts!), wrapper.dmts + extra);
  }
}

/** Step 4: the hand-written `.mjs`/`.d.mts` files, copied to the same place under dist/. */
function copyHandWritten(): void {
  for (const entry of ENTRIES) {
    if (isHandWrittenEsm(entry) && !exists(entry.source)) throw new BuildError(`Expected the entry ${entry.subpath} to have its source ${entry.source}, got no such file`);
  }
  for (const file of handWrittenEsm('harness')) {
    const target = at(path.posix.join(OUT_DIR, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(at(file), target);
  }
}

/** Step 5: which sources' `.d.ts` the compiler wrote, paired. */
function declarationsOf(written: readonly string[]): { dts: string; source: string }[] {
  const outDir = at(OUT_DIR);
  return written
    .filter((f) => f.endsWith('.d.ts'))
    .map((dts) => ({ dts, source: path.join(ROOT, path.relative(outDir, dts).replace(/\.d\.ts$/, '.ts')) }));
}

/** Step 6: package.json against the table; the differing fields, or `[]`. */
function checkPackageJson(write: boolean): string[] {
  const file = at('package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const expected = packageFields(exists);
  const differing = (Object.keys(expected) as (keyof typeof expected)[]).filter((k) => JSON.stringify(pkg[k]) !== JSON.stringify(expected[k]));
  if (write && differing.length > 0) {
    fs.writeFileSync(file, `${JSON.stringify({ ...pkg, ...expected }, null, 2)}\n`);
    return [];
  }
  return differing;
}

/** Runs the build; `argv` may hold `--write-package`. */
export function build(argv: readonly string[]): void {
  const writePackage = argv.includes('--write-package');
  const unknown = argv.filter((a) => a !== '--write-package');
  if (unknown.length > 0) throw new BuildError(`Expected no argument but --write-package, got \`${unknown.join(' ')}\``);

  fs.rmSync(at(OUT_DIR), { recursive: true, force: true });
  const sources = [...ENTRIES.filter((e) => !isHandWrittenEsm(e)).map((e) => e.source), ...Object.values(BINS)];
  const { program, written } = compile(sources.map(at), buildOptions(at('tsconfig.build.json')), (_, text) => withoutModuleInternalTag(text));
  for (const source of Object.values(BINS)) fs.chmodSync(at(path.posix.join(OUT_DIR, source.replace(/\.ts$/, '.js'))), 0o755);
  writeWrappers(program);
  copyHandWritten();
  writePrecompiledValidator(at(path.posix.join(OUT_DIR, 'scenarios', 'engine')));
  const publicRoots = ENTRIES.flatMap((e) => {
    const files = entryFiles(e, exists);
    return [files.dts, files.dmts].filter((f): f is string => f !== undefined).map(at);
  });
  removeInternalDeclarations(declarationsOf(written), publicRoots);

  const stale = checkPackageJson(writePackage);
  if (stale.length > 0) {
    throw new BuildError(`Expected package.json's ${stale.join(', ')} to match scripts/build/entries.ts, got other values (run \`npx tsx scripts/build/build.ts --write-package\`)`);
  }
  // Last, so an interrupted build leaves no digest and the next `npm run leak-tests` builds again.
  fs.writeFileSync(at(DIGEST_FILE), digestFileText(ROOT));
}

if (require.main === module) {
  try {
    build(process.argv.slice(2));
    process.stdout.write(`build: ${OUT_DIR}/ written\n`);
  } catch (error) {
    process.stderr.write(`build: ${error instanceof BuildError ? error.message : describeError(error)}\n`);
    process.exitCode = 1;
  }
}
