/**
 * Opt-outs in force, per test, per block and per file, with runner-neutral targets: a test is its
 * `TestRun`, a block is any key the adapter chooses (jest's describe block object, vitest's suite,
 * a string), and the file is the session itself. A test's opt-outs are its own, its blocks' (the
 * keys it was started with) and the file's.
 * @packageDocumentation
 */
import type { SanitizerCheck } from './options';

/** One opt-out, with its reason. */
export interface OptOut {
  readonly reason: string;
  readonly checks: readonly SanitizerCheck[];
  /** `test`, `describe '<name>'` or `file`: where the summary says it was made. */
  readonly where: string;
}

/** What a test's opt-outs are looked up by: the run itself and its enclosing blocks' keys. */
export interface OptOutSubject {
  /** The blocks the test is declared in, innermost first (keys chosen by the adapter). */
  readonly blocks: readonly unknown[];
}

/**
 * Where an opt-out call applies. `block.key` is whatever the adapter passes as one of a test's
 * `blocks` when it starts it; `name` is shown in the summary (`describe '<name>'`).
 */
export type OptOutTarget =
  | { readonly kind: 'test'; readonly run: OptOutSubject }
  | { readonly kind: 'block'; readonly key: unknown; readonly name: string }
  | { readonly kind: 'file' };

/** The opt-outs of one test file. */
export class OptOutRegistry {
  private readonly byTest = new WeakMap<OptOutSubject, OptOut[]>();
  private readonly byBlock = new Map<unknown, OptOut[]>();
  private readonly file: OptOut[] = [];

  /** Adds an opt-out at `target`. */
  add(target: OptOutTarget, reason: string, checks: readonly SanitizerCheck[]): void {
    if (target.kind === 'test') {
      push(this.byTest, target.run, { reason, checks, where: 'test' });
    } else if (target.kind === 'block') {
      push(this.byBlock, target.key, { reason, checks, where: `describe '${target.name}'` });
    } else {
      this.file.push({ reason, checks, where: 'file' });
    }
  }

  /** The opt-outs that apply to `run` (its own, its blocks', the file's); the file's alone for null. */
  for(run: OptOutSubject | null): OptOut[] {
    const out: OptOut[] = [];
    if (run !== null) {
      out.push(...(this.byTest.get(run) ?? []));
      for (const block of run.blocks) out.push(...(this.byBlock.get(block) ?? []));
    }
    out.push(...this.file);
    return out;
  }
}

function push<K>(map: { get(k: K): OptOut[] | undefined; set(k: K, v: OptOut[]): unknown }, key: K, o: OptOut): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [o]);
  else list.push(o);
}
