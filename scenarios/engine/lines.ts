/**
 * A small JSON parser that remembers where every value starts, so a fault found later (by the
 * schema, by a semantic check, by a failed expectation) can name its line. It accepts exactly
 * RFC 8259 JSON (what `JSON.parse` accepts), reports syntax errors with line and column, and
 * reports duplicate keys (which `JSON.parse` silently resolves to the last one).
 * @packageDocumentation
 */

/** A 1-based line and column. */
export interface JsonPosition {
  line: number;
  column: number;
}

/** A key that appears twice in one object. */
export interface DuplicateKey {
  /** JSON path of the second occurrence. */
  path: string;
  line: number;
  firstLine: number;
}

/** A parsed document with the position of every value (and of every object member's key). */
export interface PositionedJson {
  value: unknown;
  /** JSON path (`$`, `$.steps[3].size`) to where its member key or array element starts. */
  positions: Map<string, JsonPosition>;
  duplicateKeys: DuplicateKey[];
}

/** Invalid JSON: where and what. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  readonly code = 'ERR_JSON_SYNTAX';
  readonly line: number;
  readonly column: number;
  /** The message without the position. */
  readonly detail: string;
  constructor(detail: string, position: JsonPosition) {
    super(`${detail} at line ${position.line}, column ${position.column}`);
    this.detail = detail;
    this.line = position.line;
    this.column = position.column;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The JSON path of a member or element of `parent`: `$.a`, `$["a b"]`, `$[3]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses `text` as JSON, recording positions. Throws `JsonSyntaxError`. */
export function parseJsonWithPositions(text: string): PositionedJson {
  return new Parser(text).parseDocument();
}

class Parser {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  readonly positions = new Map<string, JsonPosition>();
  readonly duplicateKeys: DuplicateKey[] = [];

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.i = 1; // a BOM is not content
  }

  parseDocument(): PositionedJson {
    this.skipSpace();
    if (this.i >= this.text.length) this.fail('expected a JSON value, got an empty file');
    const value = this.parseValue('$');
    this.skipSpace();
    if (this.i < this.text.length) this.fail(`unexpected ${this.describeHere()} after the end of the JSON value`);
    return { value, positions: this.positions, duplicateKeys: this.duplicateKeys };
  }

  private here(): JsonPosition {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private fail(detail: string, at: JsonPosition = this.here()): never {
    throw new JsonSyntaxError(detail, at);
  }

  private describeHere(): string {
    if (this.i >= this.text.length) return 'end of file';
    return `character ${JSON.stringify(this.text[this.i])}`;
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 0x0a) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.i++;
      } else {
        return;
      }
    }
  }

  private parseValue(path: string): unknown {
    if (!this.positions.has(path)) this.positions.set(path, this.here());
    const c = this.text[this.i];
    if (c === '{') return this.parseObject(path);
    if (c === '[') return this.parseArray(path);
    if (c === '"') return this.parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    if (c === "'") this.fail('expected a JSON value, got a single-quoted string (JSON strings use double quotes)');
    return this.fail(`expected a JSON value, got ${this.describeHere()}`);
  }

  private parseObject(path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const firstLines = new Map<string, number>();
    this.i++; // {
    this.skipSpace();
    if (this.text[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] !== '"') {
        const trailing = this.text[this.i] === '}' ? ' (a trailing comma is not allowed in JSON)' : '';
        this.fail(`expected a property name in double quotes, got ${this.describeHere()}${trailing}`);
      }
      const keyAt = this.here();
      const key = this.parseString();
      const memberPath = childPath(path, key);
      const first = firstLines.get(key);
      if (first !== undefined) {
        this.duplicateKeys.push({ path: memberPath, line: keyAt.line, firstLine: first });
      } else {
        firstLines.set(key, keyAt.line);
        this.positions.set(memberPath, keyAt);
      }
      this.skipSpace();
      if (this.text[this.i] !== ':') this.fail(`expected ":" after property name ${JSON.stringify(key)}, got ${this.describeHere()}`);
      this.i++;
      this.skipSpace();
      const value = this.parseValue(first !== undefined ? `${memberPath}#duplicate` : memberPath);
      if (first === undefined) {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      this.skipSpace();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return out;
      }
      this.fail(`expected "," or "}" after the value of ${JSON.stringify(key)}, got ${this.describeHere()}`);
    }
  }

  private parseArray(path: string): unknown[] {
    const out: unknown[] = [];
    this.i++; // [
    this.skipSpace();
    if (this.text[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] === ']') this.fail('expected a value, got "]" (a trailing comma is not allowed in JSON)');
      out.push(this.parseValue(childPath(path, out.length)));
      this.skipSpace();
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return out;
      }
      this.fail(`expected "," or "]" after array element ${out.length - 1}, got ${this.describeHere()}`);
    }
  }

  private parseString(): string {
    const start = this.i;
    const at = this.here();
    this.i++; // opening quote
    const t = this.text;
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated string', at);
      const c = t.charCodeAt(this.i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        this.i += 2;
        continue;
      }
      if (c < 0x20) this.fail(c === 0x0a ? 'unterminated string (a line break inside a string)' : 'control character inside a string');
      this.i++;
    }
    this.i++; // closing quote
    const raw = t.slice(start, this.i);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return this.fail(`invalid escape sequence in string ${raw.length > 40 ? `${raw.slice(0, 37)}..."` : raw}`, at);
    }
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail(`invalid number, got ${this.describeHere()}`);
    this.i += m[0].length;
    return Number(m[0]);
  }
}

/** The position recorded for `path`, or for its nearest recorded ancestor. */
export function positionOf(positions: Map<string, JsonPosition>, path: string): JsonPosition | undefined {
  let p = path;
  for (;;) {
    const found = positions.get(p);
    if (found !== undefined) return found;
    const cut = p.endsWith('"]') ? p.lastIndexOf('["') : p.endsWith(']') ? p.lastIndexOf('[') : p.lastIndexOf('.');
    if (cut <= 0) return positions.get('$');
    p = p.slice(0, cut);
  }
}
