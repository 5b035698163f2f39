/**
 * @internal Opt-outs in force, per test, per describe block and per file. A call made while a
 * test (or its `beforeEach`/`afterEach`) runs applies to that test; a call in a `describe` body
 * applies to the tests of that block; a call at the top of the file (or in `beforeAll`) applies to
 * the whole file.
 */
import type { SanitizerCheck } from '../options';
import type { CircusDescribeBlock, CircusTest } from './circus';

/** One opt-out, with its reason. */
export interface OptOut {
  readonly reason: string;
  readonly checks: readonly SanitizerCheck[];
  /** `test`, `describe '<name>'` or `file`. */
  readonly where: string;
}

/** Where an opt-out call applies. */
export type OptOutTarget =
  | { readonly kind: 'test'; readonly test: CircusTest }
  | { readonly kind: 'block'; readonly block: CircusDescribeBlock }
  | { readonly kind: 'file' };

/** The opt-outs of one test file. */
export class OptOutRegistry {
  private readonly byTest = new WeakMap<CircusTest, OptOut[]>();
  private readonly byBlock = new WeakMap<CircusDescribeBlock, OptOut[]>();
  private readonly file: OptOut[] = [];

  /** Adds an opt-out at `target`. */
  add(target: OptOutTarget, reason: string, checks: readonly SanitizerCheck[]): void {
    if (target.kind === 'test') {
      push(this.byTest, target.test, { reason, checks, where: 'test' });
    } else if (target.kind === 'block' && target.block.parent !== undefined) {
      push(this.byBlock, target.block, { reason, checks, where: `describe '${target.block.name}'` });
    } else {
      this.file.push({ reason, checks, where: 'file' });
    }
  }

  /** The opt-outs that apply to `test` (its own, its blocks', the file's); the file's alone for null. */
  for(test: CircusTest | null): OptOut[] {
    const out: OptOut[] = [];
    if (test !== null) {
      out.push(...(this.byTest.get(test) ?? []));
      for (let b: CircusDescribeBlock | undefined = test.parent; b !== undefined; b = b.parent) {
        out.push(...(this.byBlock.get(b) ?? []));
      }
    }
    out.push(...this.file);
    return out;
  }
}

function push<K extends object>(map: WeakMap<K, OptOut[]>, key: K, o: OptOut): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [o]);
  else list.push(o);
}
