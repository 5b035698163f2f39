/**
 * Cost limits, checked at load with a message naming the limit, the file, the JSON path and the
 * actual value: file size, JSON depth, `bytes` array length (counted from the raw text, before any
 * item is built) and the scenario's total allocation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadScenarios } from '../../scenarios/engine';
import { loadScenarioText } from '../../scenarios/engine/load';
import { MAX_BYTES_ITEMS, MAX_JSON_DEPTH, MAX_SCENARIO_ALLOCATION_BYTES, MAX_SCENARIO_FILE_BYTES } from '../../scenarios/engine/limits';

/** A scenario text around `steps` (JSON text), on several lines. */
function scenarioWith(steps: string): string {
  return [
    '{',
    '  "name": "limits", "kind": "baseline", "description": "d", "channel": "none",',
    '  "expected": { "fixed": { "leaks": 0 } },',
    '  "steps": [',
    `    ${steps}`,
    '  ]',
    '}',
  ].join('\n');
}

describe('cost limits', () => {
  it('the limits are the documented values', () => {
    expect([MAX_SCENARIO_FILE_BYTES, MAX_JSON_DEPTH, MAX_BYTES_ITEMS, MAX_SCENARIO_ALLOCATION_BYTES]).toEqual([64 * 2 ** 20, 64, 16 * 2 ** 20, 256 * 2 ** 20]);
  });

  it('a file over MAX_SCENARIO_FILE_BYTES is not read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
    const file = path.join(dir, 'huge.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, MAX_SCENARIO_FILE_BYTES + 1); // sparse: no 64 MiB written
    expect(loadScenarios([file]).errors).toEqual([
      { file, jsonPath: '$', message: 'the file is 67108865 bytes, over the limit MAX_SCENARIO_FILE_BYTES of 67108864 bytes (64 MiB); it is not read' },
    ]);
  });

  it('JSON nested deeper than MAX_JSON_DEPTH fails with the limit, not a stack overflow', () => {
    const text = `{"name": "deep",\n "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(loadScenarioText(text, 'deep.json')).toEqual({
      errors: [{
        file: 'deep.json',
        jsonPath: `$.x${'[0]'.repeat(63)}`,
        line: 2,
        message: 'JSON nested deeper than the limit of 64 levels (MAX_JSON_DEPTH): this value is at level 65',
      }],
    });
  });

  it('a "bytes" array over MAX_BYTES_ITEMS fails from its text length, before its items are built', () => {
    const bytes = `[${'7,'.repeat(MAX_BYTES_ITEMS)}7]`;
    const text = scenarioWith(`{ "step": "allocate", "as": "b", "type": "ByteBuf", "bytes": ${bytes} }`);
    expect(loadScenarioText(text, 'big.json')).toEqual({
      errors: [{
        file: 'big.json',
        jsonPath: '$.steps[0].bytes',
        line: 5,
        message: 'a "bytes" array of 16777217 items, over the limit of 16777216 (MAX_BYTES_ITEMS: the largest buffer a scenario makes)',
      }],
    });
  }, 60_000);

  it('a "bytes" array of a part is counted the same way; nested values and strings in a short one are left to the schema', () => {
    const parts = `[{ "bytes": [${'1,'.repeat(MAX_BYTES_ITEMS)}1] }]`;
    const text = scenarioWith(`{ "step": "allocate", "as": "c", "type": "CompositeByteBuf", "parts": ${parts} }`);
    const result = loadScenarioText(text, 'parts.json');
    expect('errors' in result && result.errors.map((e) => [e.jsonPath, e.message.slice(0, 42)])).toEqual([
      ['$.steps[0].parts[0].bytes', 'a "bytes" array of 16777217 items, over th'],
    ]);
    // A short array with a nested value and a string (both schema faults) is not a limit fault.
    const odd = loadScenarioText(scenarioWith('{ "step": "allocate", "as": "b", "type": "ByteBuf", "bytes": [1, [2, 3], "4,5"] }'), 'odd.json');
    expect('errors' in odd && odd.errors.map((e) => e.jsonPath)).toEqual(['$.steps[0].bytes[1]', '$.steps[0].bytes[2]']);
  }, 60_000);

  it('a scenario allocating more than MAX_SCENARIO_ALLOCATION_BYTES in all fails at the step that crosses the budget', () => {
    const text = scenarioWith([
      '{ "step": "allocate", "as": "small", "type": "ByteBuf", "size": 100 },',
      '    { "step": "allocate", "as": "b{n}", "type": "ByteBuffer", "size": 16777216, "repeat": 16 },',
      '    { "step": "allocate", "as": "last", "type": "ByteBuf", "size": 100 }',
    ].join('\n'));
    expect(loadScenarioText(text, 'alloc.json')).toEqual({
      errors: [{
        file: 'alloc.json',
        jsonPath: '$.steps[1]',
        line: 6,
        message: 'the scenario allocates 268435656 bytes in all (repeat x size, over every step), over the budget MAX_SCENARIO_ALLOCATION_BYTES of 268435456 bytes (256 MiB); the total passes it at this step',
      }],
    });
  });
});
