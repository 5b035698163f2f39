/**
 * Validation against the published JSON Schema (`scenarios/schema/scenario.schema.json`), with
 * ajv, so the schema users see and the validator the engine runs cannot drift. Ajv's errors are
 * turned into one message per fault that says what was expected and what was found.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type AjvClass from 'ajv/dist/2020';
import { PACKAGE_ROOT } from './packageRoot';
import { stepSchemaBranch, type StepTypes } from './userSteps';

/** Where the published schema lives (in the package, from the sources or dist alike). */
export const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'scenarios', 'schema', 'scenario.schema.json');

/** A JSON Schema object as found in the schema file (only the keywords the messages use). */
export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  minProperties?: number;
  pattern?: string;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
}

/** One schema fault, before the loader adds the file and line. */
export interface SchemaFault {
  jsonPath: string;
  message: string;
}

let schemaCache: SchemaNode | undefined;

/** The published schema, parsed once. */
export function scenarioSchema(): SchemaNode {
  schemaCache ??= JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode;
  return schemaCache;
}

/** Validators by the extra versions they accept in `expected` (`''`: the published schema alone). */
const validators = new Map<string, ValidateFunction>();

/**
 * The published schema, with `extraVersions` (those the loaded targets declare) accepted as keys
 * of `expected` beside the built-in three, and the user's step types (`--steps`) beside the
 * built-in ones. The file on disk is never changed.
 */
function schemaWith(extraVersions: readonly string[], steps: StepTypes): SchemaNode {
  const published = scenarioSchema();
  if (extraVersions.length === 0 && Object.keys(steps).length === 0) return published;
  const copy = JSON.parse(JSON.stringify(published)) as SchemaNode;
  const expected = copy.properties!['expected']!;
  for (const v of extraVersions) expected.properties![v] ??= { $ref: '#/$defs/expectedResult' };
  // A step's `versions` filter may name them too.
  const version = copy.$defs!['version']!;
  version.enum = [...new Set([...(version.enum ?? []), ...extraVersions])];
  const step = copy.$defs!['step']!;
  for (const [name, def] of Object.entries(steps)) step.oneOf!.push(stepSchemaBranch(name, def));
  return copy;
}

/**
 * The validator's options, the same at run time and in the build's precompiled one.
 * allErrors: report every fault of a file at once; verbose: errors carry the failing schema and data.
 */
export const AJV_OPTIONS = { allErrors: true, verbose: true, discriminator: true, strict: true, allowUnionTypes: true } as const;

/**
 * The file name of the published schema's validator that the build compiles ahead of time
 * (`scripts/build/`), beside this module in `dist/`. From the sources there is none, and the
 * schema is compiled when first used (about 0.16 s).
 */
export const PRECOMPILED_VALIDATOR = 'scenarioValidator.generated.js';

/** The build's precompiled validator of the published schema, when this module runs from `dist/`. */
function precompiled(): ValidateFunction | undefined {
  const file = path.join(__dirname, PRECOMPILED_VALIDATOR);
  if (!fs.existsSync(file)) return undefined;
  return require(file) as ValidateFunction;
}

/** Compiles `schema` with ajv, loaded only now: with the build's precompiled validator, a run never loads ajv's compiler (about 50 ms). */
function compileSchema(schema: SchemaNode): ValidateFunction {
  const Ajv2020 = (require('ajv/dist/2020') as { default: typeof AjvClass }).default;
  return new Ajv2020(AJV_OPTIONS).compile(schema);
}

function validator(extraVersions: readonly string[] = [], steps: StepTypes = {}): ValidateFunction {
  const branches = Object.entries(steps).map(([name, def]) => stepSchemaBranch(name, def));
  const key = `${[...extraVersions].sort().join('\u0000')}\u0001${JSON.stringify(branches)}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    const published = extraVersions.length === 0 && branches.length === 0;
    validate = (published ? precompiled() : undefined) ?? compileSchema(schemaWith(extraVersions, steps));
    validators.set(key, validate);
  }
  return validate;
}

/** The step types the schema defines, in schema order. */
export function schemaStepTypes(): string[] {
  const defs = scenarioSchema().$defs ?? {};
  return (defs['step']?.oneOf ?? []).map((branch) => String(resolveRef(branch).properties?.['step']?.const));
}

/**
 * Validates a parsed scenario; `[]` when it conforms. `extraVersions`: more keys `expected` may
 * have; `steps`: more step types.
 */
export function validateAgainstSchema(value: unknown, extraVersions: readonly string[] = [], steps: StepTypes = {}): SchemaFault[] {
  const validate = validator(extraVersions, steps);
  if (validate(value)) return [];
  return faultsFromErrors(validate.errors ?? [], [...schemaStepTypes(), ...Object.keys(steps)]);
}

/** Why the schemas of `steps` cannot be compiled (ajv's message), or undefined. */
export function stepSchemaFault(steps: StepTypes): string | undefined {
  try {
    validator([], steps);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
}

/** Follows a local `$ref` (`#/$defs/name`). */
export function resolveRef(node: SchemaNode): SchemaNode {
  let n = node;
  for (let guard = 0; n.$ref !== undefined && guard < 10; guard++) {
    const name = n.$ref.replace(/^#\/\$defs\//, '');
    const target = scenarioSchema().$defs?.[name];
    if (target === undefined) break;
    n = target;
  }
  return n;
}

/** `/steps/3/size` → `$.steps[3].size`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  let out = '$';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9][0-9]*)$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function childOf(parent: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** A short description of a value found in a file: `"abc"`, `12`, `an object`, `an array of 3 item(s)`. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length} item(s)`;
  if (value !== null && typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `word` with its indefinite article: `an integer`, `a string`. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** Describes what a schema node accepts, in words: `an integer >= 0`, `one of "heap", "direct"`. */
export function describeSchema(input: SchemaNode): string {
  if (input.title !== undefined) return input.title;
  const node = resolveRef(input);
  if (node !== input) return describeSchema(node);
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum !== undefined) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives !== undefined) return alternatives.map(describeSchema).join(' or ');
  const types = Array.isArray(node.type) ? node.type : node.type !== undefined ? [node.type] : [];
  const described = types.map((t) => describeType(t, node));
  return described.length > 0 ? described.join(' or ') : 'a value';
}

function describeType(type: string, node: SchemaNode): string {
  switch (type) {
    case 'integer':
    case 'number': {
      const base = article(type);
      if (node.minimum !== undefined && node.maximum !== undefined) return `${base} from ${node.minimum} to ${node.maximum}`;
      if (node.minimum !== undefined) return `${base} >= ${node.minimum}`;
      if (node.maximum !== undefined) return `${base} <= ${node.maximum}`;
      return base;
    }
    case 'string':
      if (node.minLength !== undefined && node.minLength > 0) return 'a non-empty string';
      return node.pattern !== undefined ? `a string matching /${node.pattern}/` : 'a string';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const items = node.items !== undefined ? ` of ${pluralize(describeSchema(node.items))}` : '';
      return `${node.minItems !== undefined && node.minItems > 0 ? 'a non-empty array' : 'an array'}${items}`;
    }
    case 'object':
      return 'an object';
    default:
      return type;
  }
}

/** `a byte (...)` → `bytes (...)`, for "an array of ...". */
function pluralize(text: string): string {
  const m = /^an? ([a-z]+)(.*)$/.exec(text);
  if (m === null) return text;
  return `${m[1]}s${m[2]}`;
}

/** The properties a (possibly composed) object schema accepts. */
export function allowedProperties(node: SchemaNode): string[] {
  const n = resolveRef(node);
  const own = Object.keys(n.properties ?? {});
  const inherited = (n.allOf ?? []).flatMap(allowedProperties);
  return [...new Set([...own, ...inherited])];
}

/** The closest of `candidates` to `word` (Levenshtein distance <= 2 or a prefix), for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && (bestDistance <= Math.max(2, Math.floor(word.length / 4))) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c !== undefined ? ` (did you mean ${JSON.stringify(c)}?)` : '';
}

/** The step type named at a step's path, for messages such as `in an "allocate" step`. */
function stepTypeOf(error: ErrorObject): string | undefined {
  const data = error.data as { step?: unknown } | undefined;
  return data !== null && typeof data === 'object' && typeof data.step === 'string' ? data.step : undefined;
}

function faultFor(error: ErrorObject, stepTypes: readonly string[]): SchemaFault | undefined {
  const at = pointerToPath(error.instancePath);
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      const propSchema = resolveRef(parent).properties?.[missing];
      const what = propSchema !== undefined ? `: ${describeSchema(propSchema)}` : '';
      return { jsonPath: at, message: `missing required property ${JSON.stringify(missing)}${what}` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params['additionalProperty'] ?? params['unevaluatedProperty']);
      const allowed = allowedProperties(parent);
      const stepType = stepTypeOf(error);
      const where = stepType !== undefined ? ` in ${/^[aeiou]/i.test(stepType) ? 'an' : 'a'} ${JSON.stringify(stepType)} step` : '';
      return {
        jsonPath: childOf(at, key),
        message: `unknown property ${JSON.stringify(key)}${where}${didYouMean(key, allowed)}; expected one of: ${allowed.join(', ')}`,
      };
    }
    case 'discriminator': {
      const types = stepTypes;
      const tag = params['tagValue'] ?? (error.data as Record<string, unknown> | undefined)?.['step'];
      if (params['error'] === 'tag') {
        const data = error.data as Record<string, unknown>;
        if (data['step'] === undefined) return { jsonPath: at, message: `missing required property "step": one of ${types.join(', ')}` };
        return { jsonPath: childOf(at, 'step'), message: `expected a step type (a string), got ${showValue(data['step'])}` };
      }
      return {
        jsonPath: childOf(at, 'step'),
        message: `unknown step type ${JSON.stringify(tag)}${didYouMean(String(tag), types)}; expected one of: ${types.join(', ')}`,
      };
    }
    case 'minProperties':
      return { jsonPath: at, message: `expected at least ${String(params['limit'])} of: ${allowedProperties(parent).join(', ')}; got ${showValue(error.data)}` };
    case 'minItems':
      return { jsonPath: at, message: `expected at least ${String(params['limit'])} item(s), got ${showValue(error.data)}` };
    case 'uniqueItems':
      return { jsonPath: at, message: `expected no duplicate items, got the same item at ${String(params['j'])} and ${String(params['i'])}` };
    case 'type':
      if (at === '$') return { jsonPath: at, message: `expected a scenario object ({ "name": ..., "steps": [...] }), got ${showValue(error.data)}` };
      return { jsonPath: at, message: `expected ${describeSchema(parent)}, got ${showValue(error.data)}` };
    case 'if':
    case 'allOf':
      return undefined; // the branch's own errors say more
    default:
      return { jsonPath: at, message: `expected ${describeSchema(parent)}, got ${showValue(error.data)}` };
  }
}

/**
 * One fault per JSON path (the first ajv reports): a value that is both of the wrong type and out
 * of range is one fault, described by its whole schema. An `anyOf` error replaces its branches'.
 */
export function faultsFromErrors(errors: readonly ErrorObject[], stepTypes: readonly string[] = schemaStepTypes()): SchemaFault[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const byPath = new Map<string, SchemaFault>();
  for (const error of errors) {
    if (anyOfPaths.has(error.instancePath) && error.keyword !== 'anyOf') continue;
    const fault = faultFor(error, stepTypes);
    if (fault === undefined) continue;
    const key = `${fault.jsonPath}\u0000${error.keyword === 'required' || error.keyword.endsWith('Properties') ? fault.message : ''}`;
    if (!byPath.has(key)) byPath.set(key, fault);
  }
  return [...byPath.values()];
}
