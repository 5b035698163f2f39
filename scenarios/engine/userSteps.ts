/**
 * Step types of your own (`--steps <module>`): each has a JSON Schema of its properties, the
 * variables it defines and uses (so scenario files using it are checked like any other, before
 * anything runs), and a handler that runs it against the replay's channel and variables.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';
import type { ReplayContext } from './context';
import type { Step } from './data';
import type { SchemaNode } from './schema';
import type { Definition, StepSpec, Use, VarKind } from './stepSpecs';
import type { TargetBbawc, TargetRawc } from './target';

/** What a user step's handler can do in the replay. */
export interface StepApi {
  /** The replay's channel; null for a scenario with `channel: "none"`. */
  readonly channel: TargetBbawc | TargetRawc | null;
  /** `scenario.json:12`: where the step is, for your messages. */
  readonly location: string;
  /** A variable's value (a `StepError` stops the replay when it is not defined, or is null). */
  get(name: string): unknown;
  /** Defines a variable named by a field listed in `defines`. */
  define(name: string, kind: VarKind, value: unknown): void;
  /** Records a failed check of this step (the replay goes on, and fails). */
  fail(message: string): void;
}

/** One step type of your own. */
export interface StepTypeDefinition {
  /** What the step does (the schema's description). */
  description?: string;
  /** JSON Schema of each property besides `step` and the common ones (`versions`, `repeat`, `throws`, `comment`). */
  properties?: Readonly<Record<string, object>>;
  /** Properties a step of this type must have. */
  required?: readonly string[];
  /** Fields naming variables the step defines, with their kind (checked: not defined twice, used later). */
  defines?: readonly Definition[];
  /** Fields naming variables the step reads (checked: defined before, of an accepted kind). */
  uses?: readonly Use[];
  /** The channels the step works with; default: any, including none. */
  channels?: readonly ('bbawc' | 'rawc')[];
  /** Runs one step (may be async; the replay's time limit applies). */
  run(api: StepApi, step: Readonly<Record<string, unknown>>): void | Promise<void>;
}

/** Step types by name. */
export type StepTypes = Readonly<Record<string, StepTypeDefinition>>;

/** A `--steps` module (or `defineSteps` call) of the wrong shape. */
export class StepTypesError extends HarnessError {
  override readonly name = 'StepTypesError';
  readonly code = 'ERR_SCENARIO_STEP_TYPES';
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const KINDS: readonly VarKind[] = ['ByteBuffer', 'ByteBuf', 'bytes', 'stream', 'weakRef', 'write', 'error'];
const COMMON = ['step', 'versions', 'repeat', 'throws', 'comment'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a `defines`/`uses` list is wrong, or undefined. */
function fieldListFault(list: unknown, at: string, properties: Record<string, unknown>): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return `${at}: expected an array of { field, kind }`;
  for (const [i, entry] of list.entries()) {
    if (!isObject(entry) || typeof entry['field'] !== 'string' || properties[entry['field']] === undefined) {
      return `${at}[${i}].field: expected one of the step's properties (${Object.keys(properties).join(', ') || 'none'})`;
    }
    const kinds = entry['kind'] !== undefined ? [entry['kind']] : (entry['kinds'] as unknown[] | undefined) ?? [];
    if (kinds.some((k) => !(KINDS as readonly unknown[]).includes(k))) return `${at}[${i}]: expected kinds among ${KINDS.join(', ')}`;
  }
  return undefined;
}

/** Why `value` is not a set of step types (`name.field: what is wrong`), or undefined; `builtin`: names taken. */
export function stepTypesFault(value: unknown, builtin: readonly string[]): string | undefined {
  if (!isObject(value) || Object.keys(value).length === 0) return 'expected an object of step types made by defineSteps({ name: { properties, run } })';
  for (const [name, def] of Object.entries(value)) {
    if (!NAME.test(name)) return `${name}: expected a step type name of letters and digits, starting with a letter`;
    if (builtin.includes(name)) return `${name}: a built-in step type has this name`;
    if (!isObject(def)) return `${name}: expected { properties?, required?, defines?, uses?, run }`;
    if (typeof def['run'] !== 'function') return `${name}.run: expected a function (api, step) => void | Promise<void>`;
    const properties = def['properties'] ?? {};
    if (!isObject(properties)) return `${name}.properties: expected an object of JSON Schemas`;
    const taken = Object.keys(properties).find((p) => COMMON.includes(p));
    if (taken !== undefined) return `${name}.properties.${taken}: every step has this property already`;
    const required = def['required'] ?? [];
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string' || properties[r as string] === undefined)) {
      return `${name}.required: expected names among its properties (${Object.keys(properties).join(', ') || 'none'})`;
    }
    const fault = fieldListFault(def['defines'], `${name}.defines`, properties) ?? fieldListFault(def['uses'], `${name}.uses`, properties);
    if (fault !== undefined) return fault;
  }
  return undefined;
}

/**
 * Defines step types of your own: the default export of a module given to
 * `bytebuf-leak-tests --steps`. Checks the shape at once (the JSON Schemas when the module loads).
 * @throws StepTypesError naming the field that is wrong.
 */
export function defineSteps<T extends StepTypes>(types: T): T {
  const fault = stepTypesFault(types, []);
  if (fault !== undefined) throw new StepTypesError(`defineSteps: ${fault}`);
  return types;
}

/** The schema branch of a user step type, beside the built-in ones in `$defs.step.oneOf`. */
export function stepSchemaBranch(name: string, def: StepTypeDefinition): SchemaNode {
  return {
    ...(def.description !== undefined ? { description: def.description } : {}),
    type: 'object',
    properties: { step: { const: name }, ...(def.properties as Record<string, SchemaNode> | undefined) },
    required: ['step', ...(def.required ?? [])],
    allOf: [{ $ref: '#/$defs/stepCommon' }],
    unevaluatedProperties: false,
  } as SchemaNode;
}

/** The static description the semantic checks read. */
export function userStepSpec(def: StepTypeDefinition): StepSpec {
  const present = (step: Step, field: string): boolean => (step as unknown as Record<string, unknown>)[field] !== undefined;
  return {
    defines: (step) => (def.defines ?? []).filter((d) => present(step, d.field)),
    uses: def.uses ?? [],
    ...(def.channels !== undefined ? { channels: def.channels } : {}),
  };
}

/** Runs a user step in the replay. */
export function runUserStep(def: StepTypeDefinition, ctx: ReplayContext, step: Step): void | Promise<void> {
  const api: StepApi = {
    channel: ctx.bbawc ?? ctx.rawc,
    location: ctx.position.location,
    get: (name) => ctx.get(name),
    define: (name, kind, value) => ctx.define(name, kind, value),
    fail: (message) => ctx.fail(message),
  };
  return def.run(api, step as unknown as Record<string, unknown>);
}
