/**
 * Checks a schema-valid scenario for what a schema cannot say: variables used before they are
 * defined (or after `forget`), defined twice, of the wrong kind; steps that need another channel;
 * cross-field rules. Runs once per listed version, since steps can be limited to some versions.
 * @packageDocumentation
 */
import { childPath } from './lines';
import { closest, type SchemaFault } from './schema';
import { expansions, type ScenarioData, type Step } from './data';
import { specOf, type VarKind } from './stepSpecs';
import type { StepTypes } from './userSteps';
import { CHANNEL_VERSIONS } from './types';

interface VarInfo {
  kind: VarKind;
  definedAt: number;
  forgottenAt?: number;
  /** For writes: the callback mode. */
  callback?: string;
}

const KIND_WORDS: Record<VarKind, string> = {
  ByteBuffer: 'a ByteBuffer',
  ByteBuf: 'a ByteBuf',
  bytes: 'bytes',
  stream: 'a stream',
  weakRef: 'a weak reference',
  write: 'a write',
  error: 'an error',
};

function kindsText(kinds: readonly VarKind[]): string {
  const words = kinds.map((k) => KIND_WORDS[k]);
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
}

/** Semantic faults of `data` (already schema-valid); `[]` when it is sound. */
export function checkSemantics(data: ScenarioData, steps: StepTypes = {}): SchemaFault[] {
  const faults = new Map<string, SchemaFault>();
  const add = (jsonPath: string, message: string): void => {
    const key = `${jsonPath}\u0000${message}`;
    if (!faults.has(key)) faults.set(key, { jsonPath, message });
  };

  if (data.channelOptions !== undefined && data.channel !== 'rawc') {
    add('$.channelOptions', `"channelOptions" (sizeLimitInBytes) is only for channel "rawc", not "${data.channel}"`);
  }
  data.steps.forEach((step, i) => checkStepShape(step, i, data, add, steps));

  // The built-in versions in canonical order, then those of targets, as the file lists them.
  const builtin: readonly string[] = CHANNEL_VERSIONS;
  const versions = [...CHANNEL_VERSIONS.filter((v) => data.expected[v] !== undefined), ...Object.keys(data.expected).filter((k) => !builtin.includes(k))];
  const filtered = data.steps.some((s) => s.versions !== undefined);
  for (const version of versions) checkVariables(data, version, filtered, add, steps);
  return [...faults.values()];
}

function stepPath(i: number): string {
  return `$.steps[${i}]`;
}

/** Channel, cross-field and `versions` rules: the same for every version. */
function checkStepShape(step: Step, i: number, data: ScenarioData, add: (p: string, m: string) => void, steps: StepTypes): void {
  const spec = specOf(step.step, steps);
  const at = stepPath(i);
  if (spec.channels !== undefined && (data.channel === 'none' || !spec.channels.includes(data.channel))) {
    add(childPath(at, 'step'), `step "${step.step}" needs channel ${spec.channels.map((c) => `"${c}"`).join(' or ')}, but the scenario's channel is "${data.channel}"`);
  }
  for (const f of spec.check?.(step) ?? []) add(f.field === undefined ? at : `${at}.${f.field}`, f.message);
  if (step.versions !== undefined) {
    for (const v of step.versions) {
      if (data.expected[v] === undefined) {
        add(childPath(at, 'versions'), `version "${v}" is not replayed: the scenario's "expected" lists only ${Object.keys(data.expected).map((k) => `"${k}"`).join(', ')}`);
      }
    }
  }
}

/** Walks the steps run for `version`, tracking which variables exist. */
function checkVariables(data: ScenarioData, version: string, filtered: boolean, add: (p: string, m: string) => void, steps: StepTypes): void {
  const vars = new Map<string, VarInfo>();
  const suffix = filtered ? ` (replaying against "${version}")` : '';
  data.steps.forEach((original, i) => {
    if (original.versions !== undefined && !(original.versions as readonly string[]).includes(version)) return;
    const spec = specOf(original.step, steps);
    const at = stepPath(i);
    for (const step of expansions(original)) {
      const raw = step as unknown as Record<string, unknown>;
      for (const use of spec.uses) {
        const value = raw[use.field];
        if (value === undefined) continue;
        const names = use.list === true ? (value as string[]) : [value as string];
        names.forEach((name, j) => {
          const path = use.list === true ? `${at}.${use.field}[${j}]` : `${at}.${use.field}`;
          const v = vars.get(name);
          if (v === undefined) {
            const known = [...vars.keys()];
            const hint = closest(name, known);
            const list = known.length === 0 ? 'no variable is defined before this step' : `defined before this step: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}`;
            add(path, `undefined variable "${name}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}; ${list}${suffix}`);
          } else if (v.forgottenAt !== undefined && use.history !== true) {
            add(path, `variable "${name}" was forgotten at step ${v.forgottenAt}${suffix}`);
          } else if (use.kinds !== undefined && !use.kinds.includes(v.kind)) {
            add(path, `expected ${kindsText(use.kinds)} variable, but "${name}" is ${KIND_WORDS[v.kind]} (defined at step ${v.definedAt})${suffix}`);
          }
        });
      }
      checkSourceRules(step, at, vars, add, suffix);
      // A step that must throw defines nothing: its variables never get a value.
      for (const def of step.throws !== undefined ? [] : spec.defines(step)) {
        const name = raw[def.field] as string;
        const existing = vars.get(name);
        if (existing !== undefined) {
          const how = original.repeat !== undefined && !String((original as unknown as Record<string, unknown>)[def.field]).includes('{n}')
            ? ' (a repeated step needs "{n}" in the names it defines)' : '';
          add(`${at}.${def.field}`, `variable "${name}" is already defined at step ${existing.definedAt}${how}`);
          continue;
        }
        vars.set(name, { kind: def.kind, definedAt: i, ...(step.step === 'write' ? { callback: step.callback ?? 'record' } : {}) });
      }
      if (step.step === 'forget') {
        const v = vars.get(step.of);
        if (v !== undefined && v.forgottenAt === undefined) v.forgottenAt = i;
      }
    }
  });
}

/** Rules that relate a write to its source and to its checks, and a built-in call to its source. */
function checkSourceRules(step: Step, at: string, vars: Map<string, VarInfo>, add: (p: string, m: string) => void, suffix: string): void {
  if (step.step === 'write' && step.callback === 'releaseSource') {
    const source = vars.get(step.source);
    if (source !== undefined && source.kind === 'ByteBuffer') {
      add(`${at}.callback`, `callback "releaseSource" releases a ByteBuf, but "${step.source}" is a ByteBuffer (not reference counted)${suffix}`);
    }
  }
  if (step.step === 'call' && step.module === undefined && step.source !== undefined) {
    const source = vars.get(step.source);
    if (source !== undefined && source.kind !== 'ByteBuffer') {
      add(`${at}.source`, `built-in function "${step.function}" takes a ByteBuffer, but "${step.source}" is ${KIND_WORDS[source.kind]}${suffix}`);
    }
  }
  if (step.step === 'expectCallback') {
    const w = vars.get(step.write);
    if (w !== undefined && w.kind === 'write' && w.callback === 'none') {
      add(`${at}.write`, `write "${step.write}" (step ${w.definedAt}) has no callback ("callback": "none"); check its future with expectFuture${suffix}`);
    }
  }
}
