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

/** Type-checks and emits `rootFiles` (absolute paths); returns the program and the files written, sorted. Throws on any error. */
export function compile(rootFiles: readonly string[], options: ts.CompilerOptions): { program: ts.Program; written: string[] } {
  const program = ts.createProgram({ rootNames: [...rootFiles], options });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) throw new BuildError(`TypeScript found errors:\n${format(diagnostics)}`);
  const written: string[] = [];
  const result = program.emit(undefined, (file, text, bom) => {
    ts.sys.writeFile(file, text, bom);
    written.push(path.resolve(file));
  });
  if (result.diagnostics.length > 0) throw new BuildError(`TypeScript could not emit:\n${format(result.diagnostics)}`);
  return { program, written: written.sort() };
}
