/**
 * @internal The sanitizer under jest-circus 29, which keeps its event handlers in a module-local
 * array (out of reach of a setup file), through its state object instead (found on the global
 * object, see `circus.ts`). What jest-circus 29.7 does, that this relies on:
 *
 * - `run_start` sets `state.hasStarted = true` before any hook or test runs, and before it reads
 *   the root block's `beforeAll`/`afterAll` hooks (`getAllHooksForDescribe(root)`); every test
 *   and hook is declared by then (a hook added later is an error).
 * - It reads `test.fn` and `hook.fn` from the entries when it calls them, so replacing them at
 *   `run_start` is in time. `test_start` sets `state.currentlyRunningTest` before the test's
 *   hooks run.
 * - A block's `afterEach` hooks run innermost block first, each block's in declaration order, so
 *   the root block's last hook runs after every other `afterEach`; the same for `afterAll`. An
 *   `afterEach` failure goes to `test.errors` (fails that test); errors in `state.unhandledErrors`
 *   at the end of the run fail the file.
 * - Concurrent tests run no `beforeEach`/`afterEach` hooks, and their functions are called before
 *   their `test_start`, all at once when the root block starts.
 *
 * So: the setup file registers one `afterEach` (the test check) and one `afterAll` (the file
 * check) through jest's globals; an accessor on `state.hasStarted` sees `run_start` and then moves
 * both to the end of the root block's hooks (after every hook the test file declared), and
 * replaces each hook's and test's `fn` with one that runs in the test's scope (per-test hooks and
 * bodies; a test's run is opened by the first of them to run) or the file's (`beforeAll`/
 * `afterAll`). A concurrent test's function is replaced by one that runs the body in its scope,
 * then the check, and throws the check's error.
 */
import { IllegalStateException } from '../../errors';
import { inScope, type SanitizerSession, type TestRun } from '../../sanitizer';
import { blocksOf, fullTestName, type CircusDescribeBlock, type CircusFn, type CircusHook, type CircusState, type CircusTest } from './circus';

/** How long the sanitizer's own hooks may take: well beyond the quiesce bound. */
function hookTimeout(session: SanitizerSession): number {
  return session.options.quiesceMs + 30_000;
}

/** Registers a hook in the block being declared (jest's `afterEach(fn, timeout)`). */
export type HookRegistrar = (fn: () => Promise<void>, timeout?: number) => void;

/** Where the sanitizer's own hooks are registered. */
export interface HookRegistrars {
  afterEach: HookRegistrar;
  afterAll: HookRegistrar;
}

/** jest's `afterEach`/`afterAll` globals, or an error saying they are missing. */
export function hookGlobals(): HookRegistrars {
  const g = globalThis as { afterEach?: unknown; afterAll?: unknown };
  if (typeof g.afterEach !== 'function' || typeof g.afterAll !== 'function') {
    throw new IllegalStateException(
      "The bytebuf leak sanitizer needs jest's global afterEach and afterAll on jest 29: leave injectGlobals at its default (true).",
    );
  }
  return { afterEach: g.afterEach as HookRegistrar, afterAll: g.afterAll as HookRegistrar };
}

/** The hook of the root block whose function is `fn` (just registered). */
function hookOf(root: CircusDescribeBlock, fn: CircusFn): CircusHook {
  const hook = root.hooks.find((h) => h.fn === fn);
  if (hook === undefined) throw new IllegalStateException('The bytebuf leak sanitizer could not find the hook it registered in the root describe block.');
  return hook;
}

/** Every test and block under `block`, depth first. */
function* walk(block: CircusDescribeBlock): Generator<CircusDescribeBlock | CircusTest> {
  yield block;
  for (const child of block.children) {
    if (child.type === 'test') yield child;
    else yield* walk(child);
  }
}

/**
 * Connects `session` to jest-circus 29's state; `onFileDone` runs after the file check. Call it
 * while the root block is being declared (from a setup file): `hooks` (jest's globals by default)
 * registers the sanitizer's `afterEach` and `afterAll` there.
 */
export function attachToCircusState(session: SanitizerSession, state: CircusState, onFileDone: () => void, hooks: HookRegistrars = hookGlobals()): void {
  const ensureRun = (test: CircusTest | null): TestRun | undefined => {
    if (test === null || session.closed) return undefined;
    return session.runOf(test) ?? session.startTest(fullTestName(test), { key: test, blocks: blocksOf(test) });
  };
  const checkTest = async (test: CircusTest): Promise<void> => {
    const run = session.runOf(test);
    if (run === undefined) return;
    const failed = test.errors.length > 0 || test.failing === true;
    const { error } = await session.finishTest(run, { failed });
    if (error !== undefined) throw error;
  };
  const afterEachFn = async (): Promise<void> => {
    const test = state.currentlyRunningTest;
    if (test !== null && !session.closed) await checkTest(test);
  };
  const afterAllFn = async (): Promise<void> => {
    if (session.closed) return;
    try {
      const { errors } = await session.finishFile();
      state.unhandledErrors.push(...errors);
    } finally {
      onFileDone();
    }
  };
  hooks.afterEach(afterEachFn, hookTimeout(session));
  hooks.afterAll(afterAllFn, hookTimeout(session));
  const root = state.rootDescribeBlock;
  const own = [hookOf(root, afterEachFn as CircusFn), hookOf(root, afterAllFn as CircusFn)];

  const onRunStart = (): void => {
    root.hooks = [...root.hooks.filter((h) => !own.includes(h)), ...own];
    for (const entry of walk(root)) {
      if (entry.type === 'test') {
        entry.fn = entry.concurrent === true ? checkedConcurrent(entry) : inScope(entry.fn, () => ensureRun(entry));
        continue;
      }
      for (const hook of entry.hooks) {
        if (own.includes(hook)) continue;
        hook.fn =
          hook.type === 'beforeAll' || hook.type === 'afterAll'
            ? inScope(hook.fn, session.file)
            : inScope(hook.fn, () => ensureRun(state.currentlyRunningTest));
      }
    }
  };
  const checkedConcurrent = (test: CircusTest): CircusFn => {
    const body = test.fn;
    return async function checked(this: unknown): Promise<unknown> {
      const run = ensureRun(test);
      if (run === undefined) return body.call(this);
      try {
        await inScope(body, run).call(this);
      } catch (error) {
        await session.finishTest(run, { failed: true });
        throw error;
      }
      await checkTest(test);
      return undefined;
    };
  };

  let started = state.hasStarted;
  Object.defineProperty(state, 'hasStarted', {
    configurable: true,
    enumerable: true,
    get: () => started,
    set: (value: boolean) => {
      const starting = value && !started;
      started = value;
      if (starting) onRunStart();
    },
  });
}
