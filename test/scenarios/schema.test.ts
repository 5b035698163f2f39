/**
 * The published schema, the engine's step table and handlers, and the README cannot drift apart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describeSchema, pointerToPath, scenarioSchema, schemaStepTypes, SCHEMA_FILE, validateAgainstSchema } from '../../scenarios/engine/schema';
import { STEP_HANDLERS } from '../../scenarios/engine/steps';
import { STEP_SPECS } from '../../scenarios/engine/stepSpecs';
import { BUILTIN_FUNCTIONS } from '../../scenarios/engine/builtins';
import { BUILTIN_SCENARIO_DIR } from '../../scenarios/engine';

describe('the scenario schema', () => {
  it('is the published file, a valid draft 2020-12 schema', () => {
    expect(SCHEMA_FILE).toBe(path.resolve(__dirname, '../../scenarios/schema/scenario.schema.json'));
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as { $schema: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, discriminator: true, allowUnionTypes: true });
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it('defines exactly the step types the engine handles and checks', () => {
    const types = schemaStepTypes();
    expect(types.length).toBe(33);
    expect([...types].sort()).toEqual(Object.keys(STEP_HANDLERS).sort());
    expect([...types].sort()).toEqual(Object.keys(STEP_SPECS).sort());
  });

  it('offers exactly the built-in functions the engine has', () => {
    const defs = scenarioSchema().$defs!;
    // Without "module", "function" is one of them (the schema's else branch).
    const call = defs['callStep'] as { else: { properties: { function: { enum: string[] } } } };
    expect(call.else.properties.function.enum).toEqual(Object.keys(BUILTIN_FUNCTIONS));
  });

  it('is documented step by step in scenarios/README.md, each with an example', () => {
    const readme = fs.readFileSync(path.join(BUILTIN_SCENARIO_DIR, '..', 'README.md'), 'utf8');
    for (const type of schemaStepTypes()) {
      expect(readme).toMatch(new RegExp(`^#### .*\`${type}\``, 'm'));
      expect(readme).toContain(`{ "step": "${type}"`);
    }
  });

  it('accepts every step example of scenarios/README.md', () => {
    const readme = fs.readFileSync(path.join(BUILTIN_SCENARIO_DIR, '..', 'README.md'), 'utf8');
    const examples = readme.split('\n').map((l) => l.trim().replace(/,$/, '')).filter((l) => l.startsWith('{ "step"'));
    expect(examples.length).toBeGreaterThanOrEqual(schemaStepTypes().length);
    const minimal = { name: 'x', kind: 'proof', description: 'd', channel: 'none', expected: { legacy: { leaks: 0 }, regression: { leaks: 0 } } };
    for (const example of examples) expect([example, validateAgainstSchema({ ...minimal, steps: [JSON.parse(example)] })]).toEqual([example, []]);
  });

  it('is referenced by every built-in scenario file', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else files.push(path.join(d, e.name));
      }
    };
    walk(BUILTIN_SCENARIO_DIR);
    expect(files).toHaveLength(44);
    for (const f of files) {
      const data = JSON.parse(fs.readFileSync(f, 'utf8')) as { $schema: string };
      expect(path.resolve(path.dirname(f), data.$schema)).toBe(SCHEMA_FILE);
    }
  });

  it('describes what a value must be in words', () => {
    expect(describeSchema({ type: 'integer', minimum: 0 })).toBe('an integer >= 0');
    expect(describeSchema({ type: 'integer', minimum: 0, maximum: 255 })).toBe('an integer from 0 to 255');
    expect(describeSchema({ enum: ['heap', 'direct'] })).toBe('one of "heap", "direct"');
    expect(describeSchema({ type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } })).toBe('a non-empty array of integers >= 0');
    expect(describeSchema({ type: ['string', 'null'] })).toBe('a string or null');
    expect(describeSchema({ $ref: '#/$defs/byte' })).toBe('a byte (an integer from 0 to 255)');
    expect(pointerToPath('/steps/3/a b')).toBe('$.steps[3]["a b"]');
    expect(pointerToPath('')).toBe('$');
  });

  it('accepts a minimal scenario and reports each fault of a bad one once', () => {
    const minimal = { name: 'x', kind: 'proof', description: 'd', channel: 'none', expected: { fixed: { leaks: 0 } }, steps: [{ step: 'collectGarbage' }] };
    expect(validateAgainstSchema(minimal)).toEqual([]);
    expect(validateAgainstSchema({ ...minimal, steps: [{ step: 'expectCallback', write: 'w', error: 5 }] })).toEqual([
      { jsonPath: '$.steps[0].error', message: 'expected an error class name such as "ClosedChannelException", or null for no error, got 5' },
    ]);
    expect(validateAgainstSchema({ ...minimal, steps: [{ step: 7 }] })).toEqual([
      { jsonPath: '$.steps[0].step', message: 'expected a step type (a string), got 7' },
    ]);
  });
});
