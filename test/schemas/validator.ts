/**
 * Validates documents against one of the project's published JSON Schemas with ajv in strict mode
 * (the same draft and options as the scenario schema's validator), and names each fault by the
 * JSON path of the value it concerns: `$.results[0].passed: must be boolean`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { pointerToPath } from '../../scenarios/engine/schema';

export const ROOT = path.resolve(__dirname, '..', '..');

/** A parsed schema file (the keywords the tests walk). */
export interface SchemaDocument {
  $id?: string;
  title?: string;
  description?: string;
  properties?: Record<string, Record<string, unknown>>;
  $defs?: Record<string, Record<string, unknown>>;
  [keyword: string]: unknown;
}

/** Reads a schema file relative to the project root. */
export function readSchema(file: string): SchemaDocument {
  return JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as SchemaDocument;
}

/** `$.a.b: message`, with the property itself named for a missing or unknown one. */
function describeError(e: ErrorObject): string {
  const at = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `${at}: must have required property ${JSON.stringify(params['missingProperty'])}`;
  if (e.keyword === 'additionalProperties') {
    const child = pointerToPath(`${e.instancePath}/${String(params['additionalProperty'])}`);
    return `${child}: must NOT be there (not a property of this object)`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}

/** A validator for the schema in `file`: returns the faults of a document, `[]` when it conforms. */
export function schemaValidator(file: string): (document: unknown) => string[] {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  const validate = ajv.compile(readSchema(file));
  return (document) => (validate(document) ? [] : [...new Set((validate.errors ?? []).map(describeError))]);
}

/** Every object schema in `schema` that lists `properties`, with its JSON pointer. */
export function objectSchemas(schema: unknown, pointer = '#'): { pointer: string; node: Record<string, unknown> }[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const here = node['properties'] !== undefined ? [{ pointer, node }] : [];
  return [
    ...here,
    ...Object.entries(node).flatMap(([key, value]) =>
      Array.isArray(value)
        ? value.flatMap((v, i) => objectSchemas(v, `${pointer}/${key}/${i}`))
        : objectSchemas(value, `${pointer}/${key}`),
    ),
  ];
}

/** A deep copy of a JSON document, changed by `edit` (for documents that must be rejected). */
export function edited<T>(document: T, edit: (copy: T) => void): T {
  const copy = structuredClone(document);
  edit(copy);
  return copy;
}
