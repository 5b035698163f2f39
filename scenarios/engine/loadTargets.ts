/**
 * Loads target modules (`--target`): a module whose default export is `defineTarget(...)`. A
 * module that cannot be loaded, exports the wrong shape, or whose factory throws is one error
 * line naming it; the other targets load on (modules are loaded by `userModules.ts`).
 * @packageDocumentation
 */
import { defaultExportOf, describeError as describe, UserModuleFault } from './userModules';
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

/** The target a module exports, validated, or a fault. */
async function loadOne(spec: string): Promise<Target> {
  const value = await defaultExportOf(spec, 'target', 'export default defineTarget({ name, channel, versions })');
  const fault = targetShapeFault(value);
  if (fault !== undefined) throw new UserModuleFault(`the default export is not a target: ${fault}`);
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
      errors.push(`target ${spec}: ${e instanceof UserModuleFault ? e.message : describe(e)}`);
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
