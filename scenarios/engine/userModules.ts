/**
 * Loads a user's module (`--target`, `--steps`, a `call` step's `module`) and returns its exports
 * or its default export. TypeScript modules are loaded through tsx's API (an optional peer
 * dependency), which registers nothing globally, unless a TypeScript loader is already in place
 * (the repository's own `npm run leak-tests` runs under tsx). A fault is a {@link UserModuleFault} whose message is
 * the line the runner prints after the module's name.
 * @packageDocumentation
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A module that cannot be used; the message says why, in one line. */
export class UserModuleFault extends Error {}

const TS_EXTENSIONS = new Set(['.ts', '.cts', '.mts', '.tsx']);

/** An error as `Name: first line of its message`. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]!}`;
  return String(e);
}

/** True when `require` already compiles TypeScript (running under tsx, ts-node, ...). */
function typeScriptRegistered(): boolean {
  const extensions = (require as NodeJS.Require & { extensions?: Record<string, unknown> }).extensions;
  return extensions?.['.ts'] !== undefined;
}

/** tsx's namespaced loader, registered on the first TypeScript module and kept for the process. */
let tsxLoader: { require: (id: string, from: string) => unknown } | undefined;

/**
 * tsx's `require` (registered in a namespace of its own), or a fault saying tsx is missing. One
 * registration for the process. tsx leaves a `.ts` hook in `require.extensions` that compiles only
 * its namespace's requests, so after the first TypeScript module the next one looked already
 * handled, went to the plain `require` and failed with a `SyntaxError` (a `--target` and a `--steps`
 * module, or two `call` modules, in one run of the installed CLI).
 */
function tsxRequire(kind: string): (id: string, from: string) => unknown {
  if (tsxLoader === undefined) {
    let api: { register(options: { namespace: string }): { require: (id: string, from: string) => unknown } };
    try {
      // A variable, so that bundlers and the build leave the optional peer alone.
      const name = 'tsx/cjs/api';
      api = require(name) as typeof api;
    } catch {
      throw new UserModuleFault(`a TypeScript ${kind} needs tsx: install it (npm install -D tsx) or give the compiled .js module`);
    }
    tsxLoader = api.register({ namespace: 'bytebuf-leak-harness' });
  }
  return tsxLoader.require;
}

/** The module's exports. */
async function importModule(file: string, kind: string): Promise<unknown> {
  const ext = path.extname(file);
  if (ext === '.mjs') return import(pathToFileURL(file).href);
  // Once tsx's namespaced loader is registered, `.ts` is in `require.extensions` (its hook, which
  // compiles only its namespace's requests): keep going through it.
  if (TS_EXTENSIONS.has(ext) && (tsxLoader !== undefined || !typeScriptRegistered())) return tsxRequire(kind)(file, __filename);
  return require(file) as unknown;
}

/**
 * The default export of the module at `spec` (relative to the working directory). `kind` and
 * `example` word the faults: `target`, `export default defineTarget({ ... })`.
 */
export async function defaultExportOf(spec: string, kind: string, example: string): Promise<unknown> {
  const exports = await exportsOf(path.resolve(spec), kind);
  const value = typeof exports === 'object' && exports !== null && 'default' in exports ? (exports as { default: unknown }).default : undefined;
  if (value === undefined) throw new UserModuleFault(`no default export: ${example}`);
  return value;
}

/** The exports of the module at the absolute path `file`; `kind` words the faults (`call module`). */
export async function exportsOf(file: string, kind: string): Promise<unknown> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserModuleFault('no such file');
  try {
    return await importModule(file, kind);
  } catch (e) {
    if (e instanceof UserModuleFault) throw e;
    throw new UserModuleFault(`the module failed to load (${describeError(e)})`);
  }
}
