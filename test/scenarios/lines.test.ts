/** The position-tracking JSON parser: values as JSON.parse gives them, positions, syntax errors, duplicate keys. */
import { childPath, JsonSyntaxError, parseJsonWithPositions, positionOf } from '../../scenarios/engine/lines';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

describe('parseJsonWithPositions', () => {
  it('gives the value JSON.parse gives', () => {
    const texts = [
      '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"y"], "b": {}, "c": [], "d": {"e": 0}}',
      '\ufeff  [ ]  ',
      '"just a string"',
      '{"weird key": 1, "$ref": 2}',
    ];
    for (const t of texts) expect(parseJsonWithPositions(t).value).toEqual(JSON.parse(t.replace(/^\ufeff/, '')));
  });

  it('records where each member key and element starts', () => {
    const text = '{\n  "name": "x",\n  "steps": [\n    { "step": "close" },\n\n    {\n      "step": "write"\n    }\n  ]\n}';
    const { positions } = parseJsonWithPositions(text);
    expect(positions.get('$')).toEqual({ line: 1, column: 1 });
    expect(positions.get('$.name')).toEqual({ line: 2, column: 3 });
    expect(positions.get('$.steps[0]')).toEqual({ line: 4, column: 5 });
    expect(positions.get('$.steps[0].step')).toEqual({ line: 4, column: 7 });
    expect(positions.get('$.steps[1]')).toEqual({ line: 6, column: 5 });
    expect(positions.get('$.steps[1].step')).toEqual({ line: 7, column: 7 });
    expect(positionOf(positions, '$.steps[1].missing')).toEqual({ line: 6, column: 5 });
    expect(positionOf(positions, '$.nothing.deeper[3]')).toEqual({ line: 1, column: 1 });
  });

  it('names keys that are not identifiers with brackets', () => {
    expect(childPath('$', 'a b')).toBe('$["a b"]');
    expect(childPath('$', 3)).toBe('$[3]');
    expect(childPath('$.x', 'y')).toBe('$.x.y');
    const { positions } = parseJsonWithPositions('{\n"a.b": {\n "c": 1}}');
    expect(positionOf(positions, '$["a.b"].c')).toEqual({ line: 3, column: 2 });
    expect(positionOf(positions, '$["a.b"].d')).toEqual({ line: 2, column: 1 });
  });

  it('reports syntax errors with line, column and what was expected', () => {
    const cases: Array<[string, string, number, number]> = [
      ['', 'expected a JSON value, got an empty file', 1, 1],
      ['{"a": 1,}', 'expected a property name in double quotes, got character "}" (a trailing comma is not allowed in JSON)', 1, 9],
      ['[1, 2,]', 'expected a value, got "]" (a trailing comma is not allowed in JSON)', 1, 7],
      ['{"a" 1}', 'expected ":" after property name "a", got character "1"', 1, 6],
      ['{\n  "a": 1\n  "b": 2\n}', 'expected "," or "}" after the value of "a", got character "\\""', 3, 3],
      ['[1 2]', 'expected "," or "]" after array element 0, got character "2"', 1, 4],
      ['{"a": tru}', 'expected a JSON value, got character "t"', 1, 7],
      ["{'a': 1}", 'expected a property name in double quotes, got character "\'"', 1, 2],
      ['["a\nb"]', 'unterminated string (a line break inside a string)', 1, 4],
      ['["abc', 'unterminated string', 1, 2],
      ['["\\x"]', 'invalid escape sequence in string "\\x"', 1, 2],
      ['{} {}', 'unexpected character "{" after the end of the JSON value', 1, 4],
      ['[-]', 'invalid number, got character "-"', 1, 2],
    ];
    for (const [text, detail, line, column] of cases) {
      const e = syntaxError(text);
      expect([e.detail, e.line, e.column]).toEqual([detail, line, column]);
      expect(e.message).toBe(`${detail} at line ${line}, column ${column}`);
    }
  });

  it('reports duplicate keys (JSON.parse keeps the last silently), keeping the first', () => {
    const { value, duplicateKeys } = parseJsonWithPositions('{\n "a": 1,\n "b": {"c": 1, "c": 2},\n "a": 3\n}');
    expect(value).toEqual({ a: 1, b: { c: 1 } });
    expect(duplicateKeys).toEqual([
      { path: '$.b.c', line: 3, firstLine: 3 },
      { path: '$.a', line: 4, firstLine: 2 },
    ]);
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const { value } = parseJsonWithPositions('{"__proto__": {"polluted": true}}');
    expect(Object.keys(value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
