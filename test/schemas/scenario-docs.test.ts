/**
 * scenarios/README.md against the scenario schema and the engine's step table: every step type
 * has a heading of its own (and every heading is a step type), every property a step accepts is
 * named in its section, and every example in a section is a valid step of that type.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveRef, scenarioSchema, schemaStepTypes, validateAgainstSchema, type SchemaNode } from '../../scenarios/engine/schema';
import { STEP_SPECS } from '../../scenarios/engine/stepSpecs';
import { ROOT } from './validator';

const README = readFileSync(path.join(ROOT, 'scenarios', 'README.md'), 'utf8');

/** The text under each `#### \`name\`` heading, up to the next heading of any level. */
function stepSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  const headings = [...markdown.matchAll(/^(#{1,6}) (.*)$/gm)];
  headings.forEach((h, i) => {
    const m = /^`([A-Za-z]+)`$/.exec(h[2]!);
    if (h[1] !== '####' || m === null) return;
    const end = headings[i + 1]?.index ?? markdown.length;
    sections.set(m[1]!, markdown.slice(h.index! + h[0].length, end));
  });
  return sections;
}

/** The rows' first cells (`` `name` ``) of the table that follows `heading`. */
function tableNames(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const section = markdown.slice(start + heading.length + 2).split(/\n#{1,6} /)[0]!;
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

/** A scenario around one step, for the schema (the step's own faults are the only ones possible). */
function scenarioWith(step: unknown): unknown {
  return { name: 'doc-example', kind: 'baseline', description: 'an example of scenarios/README.md', channel: 'bbawc', expected: { fixed: { leaks: 0 } }, steps: [step] };
}

const sections = stepSections(README);
const schemaTypes = schemaStepTypes();
const defs = scenarioSchema().$defs ?? {};
const stepSchema = (type: string): SchemaNode => resolveRef(defs['step']!.oneOf!.find((b) => resolveRef(b).properties?.['step']?.const === type)!);

describe('scenarios/README.md', () => {
  test('documents every step type of the schema under a heading of its own, and no other', () => {
    expect(schemaTypes).toHaveLength(33);
    expect([...sections.keys()].sort()).toEqual([...schemaTypes].sort());
  });

  test("the engine's step table has exactly the schema's step types", () => {
    expect(Object.keys(STEP_SPECS).sort()).toEqual([...schemaTypes].sort());
  });

  test.each(schemaTypes)('`%s`: every property it accepts is named in its section', (type) => {
    const section = sections.get(type) ?? '';
    const properties = Object.keys(stepSchema(type).properties ?? {}).filter((p) => p !== 'step');
    expect(properties.filter((p) => !section.includes(`\`${p}\``))).toEqual([]);
  });

  test.each(schemaTypes)('`%s`: its section has examples, each a valid step of that type', (type) => {
    const examples = [...(sections.get(type) ?? '').matchAll(/^\{ "step": .*\}$/gm)].map((m) => JSON.parse(m[0]) as { step: string });
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.map((e) => [e.step, validateAgainstSchema(scenarioWith(e))])).toEqual(examples.map(() => [type, []]));
  });

  test('names every property a step accepts, and every property of the file', () => {
    expect(tableNames(README, '### Properties every step accepts').sort()).toEqual(['step', ...Object.keys(defs['stepCommon']!.properties ?? {})].sort());
    expect(tableNames(README, '## The file').sort()).toEqual(Object.keys(scenarioSchema().properties ?? {}).sort());
    expect(tableNames(README, '### The `expected` block').sort()).toEqual(Object.keys(defs['expectedResult']!.properties ?? {}).sort());
  });
});
