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

/** JSON pointers of the properties in `schema` that have no description (`[]` when all have one). */
export function undescribedProperties(schema: unknown): string[] {
  return objectSchemas(schema).flatMap(({ pointer, node }) =>
    Object.entries(node['properties'] as Record<string, Record<string, unknown>>)
      .filter(([, p]) => typeof p['description'] !== 'string' || p['description'] === '')
      .map(([name]) => `${pointer}/properties/${name}`),
  );
}

/** JSON pointers of the object schemas in `schema` that accept properties they do not list. */
export function openObjects(schema: unknown): string[] {
  return objectSchemas(schema).filter(({ node }) => node['additionalProperties'] !== false).map((o) => o.pointer);
}

/** What a published schema must say about itself. */
export interface SchemaIdentity {
  $id: string;
  title: string;
  /** The `format` marker's constant. */
  format: string;
  /** How many object schemas (with `properties`) it holds. */
  objects: number;
}

/**
 * The tests every published schema passes: named (`$id`, `title`), the format marker and the
 * version as constants, a description on every property, and every object closed.
 */
export function testSchemaConventions(file: string, identity: SchemaIdentity): void {
  const schema = readSchema(file);
  test('is named, and marks the format and version with constants', () => {
    expect({ $id: schema.$id, title: schema.title, format: schema.properties?.['format']?.['const'], version: schema.properties?.['version']?.['const'] }).toEqual({
      $id: identity.$id,
      title: identity.title,
      format: identity.format,
      version: 1,
    });
  });
  test('describes every property, and every object is closed', () => {
    expect(objectSchemas(schema)).toHaveLength(identity.objects);
    expect(undescribedProperties(schema)).toEqual([]);
    expect(openObjects(schema)).toEqual([]);
  });
}

/** A deep copy of a JSON document, changed by `edit` (for documents that must be rejected). */
export function edited<T>(document: T, edit: (copy: T) => void): T {
  const copy = structuredClone(document);
  edit(copy);
  return copy;
}
