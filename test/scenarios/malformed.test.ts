/**
 * The malformed-file corpus: each file has one fault, reported with the file, the exact JSON path,
 * the line and what was expected; loading goes on with the other files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_SCENARIO_DIR, loadScenarios, type ScenarioLoadError } from '../../scenarios/engine';

const DIR = 'test/scenarios/fixtures/malformed';

/** file → [JSON path, line, a fragment of the message]. */
const FAULTS: Record<string, [string, number, string]> = {
  'bad-json-missing-comma.json': ['$', 3, 'invalid JSON at line 3, column 3: expected "," or "}" after the value of "name", got character "\\""'],
  'bad-json-trailing-comma.json': ['$', 4, 'invalid JSON at line 4, column 1: expected a property name in double quotes, got character "}" (a trailing comma is not allowed in JSON)'],
  'bad-json-unterminated-string.json': ['$', 2, 'invalid JSON at line 2, column 25: unterminated string'],
  'empty-file.json': ['$', 1, 'expected a JSON value, got an empty file'],
  'not-an-object.json': ['$', 1, 'expected a scenario object ({ "name": ..., "steps": [...] }), got an array of 1 item(s)'],
  'missing-name.json': ['$', 1, 'missing required property "name": a scenario name'],
  'unknown-kind.json': ['$.kind', 2, 'expected one of "bug", "baseline", "proof", "integration", got "bugfix"'],
  'unknown-channel.json': ['$.channel', 3, 'expected one of "bbawc", "rawc", "none", got "bbawcc"'],
  'unknown-version.json': ['$.expected.fixd', 4, 'unknown property "fixd" (did you mean "fixed"?); expected one of: legacy, regression, fixed'],
  'negative-leaks.json': ['$.expected.legacy.leaks', 4, 'expected an integer >= 0, got -1'],
  'no-steps.json': ['$.steps', 4, 'expected at least 1 item(s), got an empty array'],
  'duplicate-key.json': ['$.name', 4, 'duplicate key: the same property is already set at line 2'],
  'channel-options-on-bbawc.json': ['$.channelOptions', 3, '"channelOptions" (sizeLimitInBytes) is only for channel "rawc", not "bbawc"'],
  'unknown-step.json': ['$.steps[1].step', 6, 'unknown step type "writ" (did you mean "write"?); expected one of: allocate, wrap,'],
  'missing-step-type.json': ['$.steps[0]', 5, 'missing required property "step": one of allocate, wrap,'],
  'wrong-type.json': ['$.steps[0].size', 5, 'expected a size in bytes (an integer from 0 to 16777216), got "abc"'],
  'unknown-property.json': ['$.steps[0].sise', 5, 'unknown property "sise" in an "allocate" step (did you mean "size"?)'],
  'missing-field.json': ['$.steps[0]', 5, 'missing required property "as": a variable name'],
  'byte-out-of-range.json': ['$.steps[0].bytes[1]', 5, 'expected a byte (an integer from 0 to 255), got 300'],
  'unknown-builtin.json': ['$.steps[1].function', 6, 'expected one of "wrapAndDropWrapper", got "wrapAndLeak"'],
  'call-builtin-args.json': ['$.steps[1].args', 6, '"args" is for a function of a module of yours ("module"); the built-in "wrapAndDropWrapper" takes only "source"'],
  'call-builtin-bytebuf.json': ['$.steps[1].source', 6, 'built-in function "wrapAndDropWrapper" takes a ByteBuffer, but "buf" is a ByteBuf'],
  'call-module-not-relative.json': ['$.steps[0].module', 5, 'expected a path relative to the scenario file (./... or ../...), got "helpers.ts"'],
  'undefined-variable.json': ['$.steps[1].source', 6, 'undefined variable "buf9" (did you mean "buf1"?); defined before this step: buf1'],
  'duplicate-variable.json': ['$.steps[1].as', 6, 'variable "buf" is already defined at step 0'],
  'wrong-variable-kind.json': ['$.steps[1].of', 6, 'expected a ByteBuf variable, but "nio" is a ByteBuffer (defined at step 0)'],
  'size-and-bytes.json': ['$.steps[0]', 5, 'expected exactly one of "size" or "bytes", got both'],
  'step-needs-other-channel.json': ['$.steps[0].step', 5, 'step "consume" needs channel "rawc", but the scenario\'s channel is "bbawc"'],
  'use-after-forget.json': ['$.steps[2].of', 7, 'variable "buf" was forgotten at step 1'],
  'version-not-replayed.json': ['$.steps[0].versions', 5, 'version "legacy" is not replayed: the scenario\'s "expected" lists only "fixed"'],
  'callback-none-checked.json': ['$.steps[2].write', 7, 'write "w" (step 1) has no callback ("callback": "none"); check its future with expectFuture'],
};

describe('malformed scenario files', () => {
  const { scenarios, errors } = loadScenarios([DIR]);

  it('the corpus holds one file per fault, at least 15', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(FAULTS).sort());
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it('none of them loads', () => {
    expect(scenarios).toEqual([]);
  });

  it.each(Object.entries(FAULTS))('%s: one error with the JSON path, line and what was expected', (file, [jsonPath, line, fragment]) => {
    const mine = errors.filter((e) => e.file === `${DIR}/${file}`);
    expect(mine).toHaveLength(1);
    const error = mine[0]!;
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.line).toBe(line);
    expect(error.message).toContain(fragment);
  });

  it('loading goes on with the other files: the built-in ones load beside the malformed ones', () => {
    const both = loadScenarios([DIR, BUILTIN_SCENARIO_DIR]);
    expect(both.scenarios).toHaveLength(44);
    expect(both.errors).toHaveLength(Object.keys(FAULTS).length);
  });

  it('reports every fault of a file, in line order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenarios-'));
    const file = path.join(dir, 'many.json');
    fs.writeFileSync(file, [
      '{',
      '  "name": "many", "kind": "bug", "description": "d", "channel": "bbawc",',
      '  "expected": { "fixed": { "leaks": "none" } },',
      '  "steps": [',
      '    { "step": "allocate", "as": "b", "type": "ByteBuf", "size": -1 },',
      '    { "step": "frobnicate" }',
      '  ]',
      '}',
    ].join('\n'));
    const { errors: found } = loadScenarios([file]);
    expect(found.map((e: ScenarioLoadError) => [e.jsonPath, e.line])).toEqual([
      ['$.expected.fixed.leaks', 3],
      ['$.steps[0].size', 5],
      ['$.steps[1].step', 6],
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  it('reports a path that cannot be read, and a directory without scenario files', () => {
    const { errors: missing } = loadScenarios(['test/scenarios/fixtures/no-such-dir']);
    expect(missing).toEqual([{ file: 'test/scenarios/fixtures/no-such-dir', jsonPath: '$', message: 'expected a scenario file or directory, but it cannot be read (ENOENT)' }]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenarios-'));
    const { errors: empty } = loadScenarios([dir]);
    expect(empty).toEqual([{ file: dir, jsonPath: '$', message: 'expected .json scenario files in this directory, found none' }]);
    fs.rmSync(dir, { recursive: true });
  });

  it('reports a scenario name used by two files at the second, and loads the first', () => {
    const { scenarios: loaded, errors: found } = loadScenarios(['test/scenarios/fixtures/duplicate-names']);
    expect(loaded.map((s) => s.file)).toEqual(['test/scenarios/fixtures/duplicate-names/first.json']);
    expect(found).toEqual([{
      file: 'test/scenarios/fixtures/duplicate-names/sub/second.json',
      jsonPath: '$.name',
      line: 3,
      message: 'duplicate scenario name "same-name" (also the name of test/scenarios/fixtures/duplicate-names/first.json); scenario names must be unique',
    }]);
  });
});
