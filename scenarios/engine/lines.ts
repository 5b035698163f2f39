/**
 * A small JSON parser that remembers where every value starts, so a fault found later (by the
 * schema, by a semantic check, by a failed expectation) can name its line. It accepts exactly
 * RFC 8259 JSON (what `JSON.parse` accepts), reports syntax errors with line and column, and
 * reports duplicate keys (which `JSON.parse` silently resolves to the last one). It enforces two
 * cost limits (`limits.ts`): nesting depth, and the length of `bytes` arrays, counted from the raw
 * text before any item is built.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';
import { MAX_BYTES_ITEMS, MAX_JSON_DEPTH } from './limits';

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

/**
 * A parsed document with the position of every value (and of every object member's key), except
 * scalar array items: a `bytes` array of millions of numbers must not cost a map entry each. Their
 * faults are placed at the array's start ({@link positionOf}).
 */
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

/** Valid JSON past a cost limit: where, and the message naming the limit and the actual value. */
export class JsonLimitError extends HarnessError {
  override readonly name = 'JsonLimitError';
  readonly code = 'ERR_SCENARIO_LIMIT';
  /** JSON path of the value past the limit. */
  readonly jsonPath: string;
  readonly line: number;
  constructor(message: string, jsonPath: string, line: number) {
    super(message);
    this.jsonPath = jsonPath;
    this.line = line;
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
    const value = this.parseValue('$', 0);
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

  /** A value at `path`, inside `depth` containers; its position is recorded unless `positioned` is false. */
  private parseValue(path: string, depth: number, positioned = true): unknown {
    if (positioned && !this.positions.has(path)) this.positions.set(path, this.here());
    const c = this.text[this.i];
    if ((c === '{' || c === '[') && depth >= MAX_JSON_DEPTH) {
      throw new JsonLimitError(`JSON nested deeper than the limit of ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH): this value is at level ${depth + 1}`, path, this.line);
    }
    if (c === '{') return this.parseObject(path, depth + 1);
    if (c === '[') return this.parseArray(path, depth + 1);
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

  private parseObject(path: string, depth: number): Record<string, unknown> {
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
      const value = this.parseValue(first !== undefined ? `${memberPath}#duplicate` : memberPath, depth);
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

  private parseArray(path: string, depth: number): unknown[] {
    if (path.endsWith('.bytes')) this.checkBytesLength(path);
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
      const c0 = this.text[this.i];
      out.push(this.parseValue(childPath(path, out.length), depth, c0 === '{' || c0 === '['));
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

  /**
   * Counts the items of the array starting here from the raw text (commas outside nested values
   * and strings) and throws past {@link MAX_BYTES_ITEMS}. Malformed text is left to the parser.
   */
  private checkBytesLength(path: string): void {
    const t = this.text;
    let nesting = 0;
    let commas = 0;
    let empty = true;
    for (let j = this.i + 1; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x22) {
        // skip a string, with its escapes
        for (j++; j < t.length && t.charCodeAt(j) !== 0x22; j++) if (t.charCodeAt(j) === 0x5c) j++;
        empty = false;
      } else if (c === 0x5b || c === 0x7b) {
        nesting++;
        empty = false;
      } else if (c === 0x5d || c === 0x7d) {
        if (nesting === 0) break;
        nesting--;
      } else if (c === 0x2c) {
        if (nesting === 0) commas++;
      } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        empty = false;
      }
    }
    const items = empty ? 0 : commas + 1;
    if (items > MAX_BYTES_ITEMS) {
      throw new JsonLimitError(
        `a "bytes" array of ${items} items, over the limit of ${MAX_BYTES_ITEMS} (MAX_BYTES_ITEMS: the largest buffer a scenario makes)`,
        path,
        this.line,
      );
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
