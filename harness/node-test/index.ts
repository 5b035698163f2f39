/**
 * bytebuf-leak-harness/node-test: a drop-in `test`/`it`/`describe`/`suite` for node:test that runs
 * each test (and each subtest made with `t.test`) in its own ledger scope and fails it with the
 * sanitizer's message if it leaked buffers, misused one or left a timer it started pending.
 * ```ts
 * import { test, describe, leakSanitizer } from 'bytebuf-leak-harness/node-test';
 * ```
 * Run with `node --test` as usual; settings from the environment, as under jest
 * (`BYTEBUF_JEST_SANITIZER`, `BYTEBUF_JEST_QUIESCE_MS`, `BYTEBUF_LEAK_DETECTION_LEVEL`).
 *
 * How it sits in node:test: the function given to node:test is a wrapper that starts the test's
 * run, calls the original (with the same `this`, a context whose `t.test` is wrapped the same way,
 * and `done` turned into a promise for callback-style tests) in the test's scope, then waits for
 * its pending work and checks it; it throws the core's `LeakSanitizerError`, so node:test fails
 * that test and goes on with the others. A test that failed by itself is not checked.
 * - node:test runs `beforeEach`/`afterEach` hooks outside the test function: their buffers are not
 *   the test's, and `afterEach` hooks run AFTER the check (release a test's buffers in the test).
 * - `before`/`after` from here run in the file scope. A root-level `after` from here runs before
 *   the file check, which is one root `after` hook registered when this module loads: it checks
 *   what those hooks leaked and what tests' work leaked after their checks, and fails the file.
 *   Root `after` hooks taken from `node:test` itself run after that check.
 * - Only tests declared through this module are checked: `import test from 'node:test'` cannot be
 *   patched (node:test's default export is the `test` function itself, and ESM bindings are
 *   read-only), so there is no `--import` variant that changes nothing in the test files.
 * @packageDocumentation
 */
import * as nodeTest from 'node:test';
import { endSession, inScope, leakSanitizer, sanitizerOptionsFromEnv, startSession, type RunnerFn, type TestRun } from '../sanitizer';
import { fileFailure, testNameOf } from '../sanitizer/adapterSupport';

export { leakSanitizer };
export { LeakSanitizerError } from '../sanitizer/errors';
export { beforeEach, afterEach, mock } from 'node:test';

/** A describe block, as opt-outs see it. */
interface Block {
  readonly name: string;
}

/** The blocks whose bodies node:test is running now, innermost last. */
const collecting: Block[] = [];

const session = startSession({
  options: sanitizerOptionsFromEnv(),
  testFile: () => process.argv[1],
  locate: () => {
    const block = collecting[collecting.length - 1];
    return block !== undefined ? { kind: 'block', key: block, name: block.name } : undefined;
  },
});

/** User `after` hooks declared at the top of the file: run by the file check, before it checks. */
const rootAfter: RunnerFn[] = [];

if (session !== undefined) {
  nodeTest.after(async () => {
    for (const fn of rootAfter.splice(0)) await inScope(fn, session.file)();
    const { errors } = await session.finishFile();
    endSession(session);
    const failure = fileFailure(errors);
    if (failure !== undefined) throw failure;
  });
}

type TestFn = typeof nodeTest.test;
type SuiteFn = typeof nodeTest.describe;

/** Splits node:test's `(name?, options?, fn?)` overloads. */
function splitArgs(args: readonly unknown[]): { name: string | undefined; options: object | undefined; fn: RunnerFn | undefined } {
  let name: string | undefined;
  let options: object | undefined;
  let fn: RunnerFn | undefined;
  for (const a of args) {
    if (typeof a === 'string') name = a;
    else if (typeof a === 'function') fn = a as RunnerFn;
    else if (typeof a === 'object' && a !== null) options = a;
  }
  return { name, options, fn };
}

/** The arguments to give node:test: a name (the function's, like node:test), options and `fn`. */
function joinArgs(name: string | undefined, options: object | undefined, fn: RunnerFn | undefined): unknown[] {
  const out: unknown[] = [name ?? (fn?.name || '<anonymous>')];
  if (options !== undefined) out.push(options);
  if (fn !== undefined) out.push(fn);
  return out;
}

/** The test context with `t.test` making checked subtests (a proxy: node's context has private fields). */
function contextWithSubtests(t: object, path: readonly string[], blocks: readonly Block[]): object {
  return new Proxy(t, {
    get(target, prop) {
      if (prop === 'test') {
        const original = Reflect.get(target, prop, target) as RunnerFn;
        return (...args: unknown[]) => {
          const { name, options, fn } = splitArgs(args);
          const title = name ?? (fn?.name || '<anonymous>');
          return original.apply(target, joinArgs(title, options, fn && checked(fn, [...path, title], blocks)));
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as RunnerFn).bind(target) : value;
    },
  });
}

/** The function node:test runs for a test: the original in the test's scope, then the check. */
function checked(fn: RunnerFn, path: readonly string[], blocks: readonly Block[]): RunnerFn {
  const s = session;
  if (s === undefined) return fn;
  const callbackStyle = fn.length >= 2;
  return async function checkedTest(this: unknown, t: object): Promise<void> {
    const run: TestRun = s.startTest(testNameOf(path), { blocks: [...blocks].reverse() });
    const scoped = inScope(fn, run);
    const context = contextWithSubtests(t, path, blocks);
    try {
      if (callbackStyle) {
        await new Promise<void>((resolve, reject) => {
          scoped.call(this, context, (err?: unknown) => (err !== undefined && err !== null ? reject(err) : resolve()));
        });
      } else {
        await scoped.call(this, context);
      }
    } catch (error) {
      await s.finishTest(run, { failed: true });
      throw error;
    }
    const { error } = await s.finishTest(run);
    if (error !== undefined) throw error;
  };
}

/** A describe body, run with its block on the collecting stack. */
function collected(fn: RunnerFn, block: Block): RunnerFn {
  return function describeBody(this: unknown, ...args: unknown[]): unknown {
    collecting.push(block);
    try {
      return fn.apply(this, args);
    } finally {
      collecting.pop();
    }
  };
}

/** A `test`-like function of node:test, with checked bodies. */
function testLike(base: RunnerFn): RunnerFn {
  return (...args: unknown[]) => {
    const { name, options, fn } = splitArgs(args);
    const title = name ?? (fn?.name || '<anonymous>');
    const blocks = [...collecting];
    return base(...joinArgs(title, options, fn && checked(fn, [...blocks.map((b) => b.name), title], blocks)));
  };
}

/** A `describe`-like function of node:test, whose body declares tests in its block. */
function suiteLike(base: RunnerFn): RunnerFn {
  return (...args: unknown[]) => {
    const { name, options, fn } = splitArgs(args);
    const block: Block = { name: name ?? (fn?.name || '<anonymous>') };
    return base(...joinArgs(block.name, options, fn && collected(fn, block)));
  };
}

/** `base` and its `.skip`/`.todo`/`.only`, each made by `make`. */
function withVariants<T extends RunnerFn>(base: T, make: (f: RunnerFn) => RunnerFn): T {
  const b = base as unknown as Record<'skip' | 'todo' | 'only', RunnerFn>;
  return Object.assign(make(base), { skip: make(b.skip), todo: make(b.todo), only: make(b.only) }) as unknown as T;
}

/** node:test's `test`, with every test (and `t.test` subtest) checked by the leak sanitizer. */
export const test: TestFn = withVariants(nodeTest.test, testLike);
/** node:test's `it` (the same as `test`). */
export const it: TestFn = withVariants(nodeTest.it as TestFn, testLike);
/** node:test's `describe`: its body's tests are checked, and opt-outs in it apply to them. */
export const describe: SuiteFn = withVariants(nodeTest.describe, suiteLike);
/** node:test's `suite` (the same as `describe`). */
export const suite: SuiteFn = withVariants((nodeTest.suite ?? nodeTest.describe) as SuiteFn, suiteLike);

/** node:test's `before`, run in the file scope. */
export const before: typeof nodeTest.before = (fn, options) => nodeTest.before(session ? inScope(fn as RunnerFn, session.file) : fn, options);

/**
 * node:test's `after`, run in the file scope; at the top of the file it runs just before the file
 * check (so what it releases is released when the check looks).
 */
export const after: typeof nodeTest.after = (fn, options) => {
  if (session !== undefined && collecting.length === 0 && fn !== undefined) {
    rootAfter.push(fn as RunnerFn);
    return;
  }
  nodeTest.after(session && fn ? inScope(fn as RunnerFn, session.file) : fn, options);
};

export default test;
