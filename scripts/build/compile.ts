/**
 * Compiles the entries' sources (and everything they import) with tsconfig.build.json's options,
 * through the TypeScript API so the list of files is the entry table's, not a second list.
 * @packageDocumentation
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { BuildError } from './errors';

/** The config's "files" list is empty on purpose (the build passes the files): not an error. */
const EMPTY_FILES_LIST = 18002;

/** Compiler options from `configFile` (with its `extends`). */
export function buildOptions(configFile: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new BuildError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new BuildError(`Cannot read ${configFile}`);
  const errors = parsed.errors.filter((d) => d.code !== EMPTY_FILES_LIST);
  if (errors.length > 0) throw new BuildError(format(errors));
  return parsed.options;
}

function format(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  });
}

/** Rewrites a source's text for the declaration emit only (see {@link compile}). */
export type DeclarationSourceEdit = (file: string, text: string) => string;

/**
 * Type-checks and emits `rootFiles` (absolute paths): JavaScript and source maps from the sources
 * as they are, declarations from the sources as `editForDeclarations` returns them (the build
 * uses it to keep a module comment's `@internal` from stripping the module's first import).
 * Returns the checked program and the files written, sorted. Throws on any error.
 */
export function compile(rootFiles: readonly string[], options: ts.CompilerOptions, editForDeclarations: DeclarationSourceEdit = (_, t) => t): { program: ts.Program; written: string[] } {
  const program = ts.createProgram({ rootNames: [...rootFiles], options: { ...options, declaration: false, declarationMap: false } });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) throw new BuildError(`TypeScript found errors:\n${format(diagnostics)}`);
  const written: string[] = [];
  const writeFile: ts.WriteFileCallback = (file, text, bom) => {
    ts.sys.writeFile(file, text, bom);
    written.push(path.resolve(file));
  };
  const emitted = program.emit(undefined, writeFile);
  if (emitted.diagnostics.length > 0) throw new BuildError(`TypeScript could not emit:\n${format(emitted.diagnostics)}`);

  if (options.declaration === true) {
    const dtsOptions: ts.CompilerOptions = { ...options, emitDeclarationOnly: true, sourceMap: false, inlineSources: false };
    const host = ts.createCompilerHost(dtsOptions, true);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) => {
      const text = readFile(file);
      return text === undefined || file.endsWith('.d.ts') || file.includes(`${path.sep}node_modules${path.sep}`) ? text : editForDeclarations(file, text);
    };
    const dtsProgram = ts.createProgram({ rootNames: [...rootFiles], options: dtsOptions, host });
    const declared = dtsProgram.emit(undefined, writeFile);
    const problems = [...ts.getPreEmitDiagnostics(dtsProgram), ...declared.diagnostics];
    if (problems.length > 0) throw new BuildError(`TypeScript could not emit the declarations:\n${format(problems)}`);
  }
  return { program, written: written.sort() };
}
