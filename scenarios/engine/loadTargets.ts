/**
 * Loads target modules (`--target`): a module whose default export is `defineTarget(...)`. A
 * module that cannot be loaded, exports the wrong shape, or whose factory throws is one error
 * line naming it; the other targets load on. TypeScript modules are loaded through tsx's API
 * (an optional peer dependency), which registers nothing globally, unless a TypeScript loader is
 * already in place (the repository's own `npm run leak-tests` runs under tsx).
 * @packageDocumentation
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { missingMethods, neededText, targetShapeFault, type Target } from './target';

/** A target that loaded, with the module it came from (as given). */
export interface LoadedTarget {
  module: string;
  target: Target;
}

/** Versions of the loaded targets a scenario file's `expected` may name (names and `expectAs` keys). */
export function declaredVersions(targets: readonly LoadedTarget[]): string[] {
  const out = new Set<string>();
  for (const { target } of targets) {
    for (const [name, v] of Object.entries(target.versions)) {
      out.add(name);
      if (v.expectAs !== undefined) out.add(v.expectAs);
    }
  }
  return [...out];
}

const TS_EXTENSIONS = new Set(['.ts', '.cts', '.mts', '.tsx']);

/** An error as `Name: first line of its message`. */
function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]!}`;
  return String(e);
}

/** Thrown inside this module for a fault that already has its one-line text. */
class Fault extends Error {}

/** True when `require` already compiles TypeScript (running under tsx, ts-node, ...). */
function typeScriptRegistered(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the one portable way to ask
  const extensions = (require as NodeJS.Require & { extensions?: Record<string, unknown> }).extensions;
  return extensions?.['.ts'] !== undefined;
}

/** tsx's `require` (nothing registered globally), or a Fault saying it is missing. */
function tsxRequire(): (id: string, from: string) => unknown {
  let api: { require: (id: string, from: string) => unknown };
  try {
    // A variable, so that bundlers and the build leave the optional peer alone.
    const name = 'tsx/cjs/api';
    api = require(name) as typeof api;
  } catch {
    throw new Fault('a TypeScript target needs tsx: install it (npm install -D tsx) or give the compiled .js module');
  }
  return api.require;
}

/** The module's exports. */
async function importModule(file: string): Promise<unknown> {
  const ext = path.extname(file);
  if (ext === '.mjs') return import(file);
  if (TS_EXTENSIONS.has(ext) && !typeScriptRegistered()) return tsxRequire()(file, __filename);
  return require(file) as unknown;
}

/** The target a module exports, validated, or a Fault. */
async function loadOne(spec: string): Promise<Target> {
  const file = path.resolve(spec);
  if (!existsSync(file) || !statSync(file).isFile()) throw new Fault('no such file');
  let exports: unknown;
  try {
    exports = await importModule(file);
  } catch (e) {
    if (e instanceof Fault) throw e;
    throw new Fault(`the module failed to load (${describe(e)})`);
  }
  const value = typeof exports === 'object' && exports !== null && 'default' in exports ? (exports as { default: unknown }).default : undefined;
  if (value === undefined) throw new Fault('no default export: export default defineTarget({ name, channel, versions })');
  const fault = targetShapeFault(value);
  if (fault !== undefined) throw new Fault(`the default export is not a target: ${fault}`);
  return value as Target;
}

/**
 * Calls each version's factory once (and closes what it made), so a factory that throws or
 * returns the wrong thing is told before anything runs. Returns the faults, one per version.
 */
function probeFactories(target: Target): { faults: string[]; working: Target } {
  const faults: string[] = [];
  const versions: Record<string, Target['versions'][string]> = {};
  for (const [name, version] of Object.entries(target.versions)) {
    let channel: unknown;
    try {
      channel = version.create({ listener: () => undefined });
    } catch (e) {
      faults.push(`version "${name}": create() threw ${describe(e)}`);
      continue;
    }
    const missing = missingMethods(channel, target.channel);
    if (missing.length > 0) {
      faults.push(`version "${name}": create() returned a channel without ${missing.join(', ')} (${neededText(target.channel)})`);
      continue;
    }
    try {
      (channel as { close(): void }).close();
    } catch (e) {
      faults.push(`version "${name}": close() of a new channel threw ${describe(e)}`);
      continue;
    }
    versions[name] = version;
  }
  return { faults, working: { ...target, versions } };
}

/**
 * Loads target modules in order. Each fault is one line, `target <module>: <what is wrong>`; a
 * target whose factories all fail is left out, one with some working versions keeps those.
 */
export async function loadTargets(specs: readonly string[]): Promise<{ targets: LoadedTarget[]; errors: string[] }> {
  const targets: LoadedTarget[] = [];
  const errors: string[] = [];
  for (const spec of specs) {
    let target: Target;
    try {
      target = await loadOne(spec);
    } catch (e) {
      errors.push(`target ${spec}: ${e instanceof Fault ? e.message : describe(e)}`);
      continue;
    }
    const same = targets.find((t) => t.target.name === target.name);
    if (same !== undefined) {
      errors.push(`target ${spec}: the name "${target.name}" is already the name of ${same.module}; target names must be unique`);
      continue;
    }
    const { faults, working } = probeFactories(target);
    for (const f of faults) errors.push(`target ${spec}: ${f}`);
    if (Object.keys(working.versions).length > 0) targets.push({ module: spec, target: working });
  }
  return { targets, errors };
}
