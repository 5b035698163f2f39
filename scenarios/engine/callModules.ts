/**
 * The user functions `call` steps name (`"module"` and `"function"`). Each module is resolved
 * relative to its scenario file and loaded once; {@link checkCallModules} loads them all and checks
 * every named export before anything runs, so a missing file or a misspelt name is a fault of the
 * scenario file (JSON path, line), not a failed replay.
 * @packageDocumentation
 */
import * as path from 'node:path';
import { expansions, type CallStep, type ScenarioData } from './data';
import { article, closest } from './schema';
import { exportsOf, UserModuleFault } from './userModules';
import type { LoadedScenario, ScenarioLoadError } from './types';

/** A function a scenario may call: its return value (awaited) is kept only with `as`. */
export type CallableExport = (...args: unknown[]) => unknown;

/** Why a call step cannot run: the field at fault and one line. */
interface CallFault {
  field: 'module' | 'function';
  message: string;
}

/** Exports by absolute module path: each module is loaded once per process. */
const loaded = new Map<string, Promise<unknown>>();

/** The absolute path of `spec` (`./helpers.ts`), relative to the folder of `scenarioFile`. */
export function callModuleFile(scenarioFile: string, spec: string): string {
  return path.resolve(path.dirname(path.resolve(scenarioFile)), spec);
}

function exportsCached(file: string): Promise<unknown> {
  let pending = loaded.get(file);
  if (pending === undefined) {
    pending = exportsOf(file, 'call module');
    loaded.set(file, pending);
  }
  return pending;
}

/** What a value is, in words: `a number`, `null`, `an object`. */
export function kindOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

/** The function export `name` of `module`, or why it cannot be called. */
async function resolveCall(scenarioFile: string, module: string, name: string): Promise<CallableExport | CallFault> {
  const file = callModuleFile(scenarioFile, module);
  const shown = `module "${module}"`;
  let exports: unknown;
  try {
    exports = await exportsCached(file);
  } catch (e) {
    const why = e instanceof UserModuleFault ? e.message : String(e);
    return { field: 'module', message: `cannot use ${shown} (${file}): ${why}` };
  }
  const table = (typeof exports === 'object' || typeof exports === 'function') && exports !== null ? (exports as Record<string, unknown>) : {};
  const value = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (typeof value === 'function') return value as CallableExport;
  const functions = Object.keys(table).filter((k) => k !== 'default' && typeof table[k] === 'function').sort();
  if (value !== undefined) return { field: 'function', message: `export "${name}" of ${shown} is ${kindOfValue(value)}, not a function` };
  const hint = closest(name, functions);
  const list = functions.length === 0 ? 'it exports no function by name' : `its function exports: ${functions.join(', ')}`;
  return { field: 'function', message: `${shown} has no export "${name}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}; ${list}` };
}

/**
 * The function a `call` step with `module` names, for the replay. Throws the fault's line when it
 * cannot be called (a scenario that skipped {@link checkCallModules}).
 */
export async function callableOf(scenarioFile: string, module: string, name: string): Promise<CallableExport> {
  const resolved = await resolveCall(scenarioFile, module, name);
  if (typeof resolved === 'function') return resolved;
  throw new UserModuleFault(resolved.message);
}

/**
 * Loads the modules of every `call` step with `module` and checks the functions they name. A
 * scenario with a fault is left out and each fault becomes a {@link ScenarioLoadError} at the
 * step's line; the other scenarios are returned as they were.
 */
export async function checkCallModules(scenarios: readonly LoadedScenario[]): Promise<{ scenarios: LoadedScenario[]; errors: ScenarioLoadError[] }> {
  const kept: LoadedScenario[] = [];
  const errors: ScenarioLoadError[] = [];
  for (const scenario of scenarios) {
    const data = scenario.data as ScenarioData;
    const faults: ScenarioLoadError[] = [];
    for (const [i, original] of data.steps.entries()) {
      if (original.step !== 'call') continue;
      // A repeated step's copies differ only in their variable names, not in module or function.
      const step = expansions(original)[0] as CallStep;
      if (step.module === undefined) continue;
      const resolved = await resolveCall(scenario.file, step.module, step.function);
      if (typeof resolved === 'function') continue;
      const line = scenario.stepLines[i];
      faults.push({ file: scenario.file, jsonPath: `$.steps[${i}].${resolved.field}`, ...(line !== undefined && line > 0 ? { line } : {}), message: resolved.message });
    }
    if (faults.length === 0) kept.push(scenario);
    else errors.push(...faults);
  }
  return { scenarios: kept, errors };
}
