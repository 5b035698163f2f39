/**
 * @internal The small part of jest-circus the sanitizer relies on, typed structurally (no import
 * of jest's internal packages).
 *
 * jest-circus keeps its event handlers in an array on the global object under
 * `Symbol.for('EVENT_HANDLERS')` (the same array its `addEventHandler` pushes to) and awaits each
 * handler in turn for every event. Before it calls a test's or a hook's function it dispatches
 * `test_fn_start` / `hook_start` and then reads `fn` from the entry, so a handler can replace `fn`
 * with a wrapper that runs it inside the test's ledger scope. Errors pushed to `test.errors` by a
 * handler at `test_done` fail the test; errors pushed to `state.unhandledErrors` before the end of
 * the run fail the test file.
 */
import { IllegalStateException } from '../../errors';

/** A function jest calls for a test or hook (`done`-taking or not). */
export type CircusFn = (this: unknown, ...args: unknown[]) => unknown;

/** A describe block (the file itself is the root block). */
export interface CircusDescribeBlock {
  readonly type: 'describeBlock';
  readonly name: string;
  readonly parent?: CircusDescribeBlock;
}

/** A test entry. `errors` holds `[error, asyncError]` pairs or errors. */
export interface CircusTest {
  readonly type: 'test';
  readonly name: string;
  readonly parent: CircusDescribeBlock;
  fn: CircusFn;
  errors: unknown[];
}

/** A hook entry. */
export interface CircusHook {
  readonly type: 'beforeAll' | 'beforeEach' | 'afterEach' | 'afterAll';
  fn: CircusFn;
}

/** The state object jest-circus passes to every handler. */
export interface CircusState {
  readonly currentDescribeBlock: CircusDescribeBlock;
  readonly currentlyRunningTest: CircusTest | null;
  readonly hasStarted: boolean;
  readonly unhandledErrors: unknown[];
}

/** An event, with the fields the sanitizer reads (`test` on test events, `hook` on hook events). */
export interface CircusEvent {
  readonly name: string;
  readonly test?: CircusTest;
  readonly hook?: CircusHook;
}

/** A jest-circus event handler. */
export type CircusHandler = (event: CircusEvent, state: CircusState) => void | Promise<void>;

const EVENT_HANDLERS = Symbol.for('EVENT_HANDLERS');

/**
 * Puts `handler` first in jest-circus's handler list (so at `test_done` its errors are in place
 * before jest formats and reports the test), and returns a function that removes it.
 * Throws if the test runner is not jest-circus (jest's default since 27).
 */
export function addFirstCircusHandler(handler: CircusHandler): () => void {
  const handlers = (globalThis as Record<symbol, unknown>)[EVENT_HANDLERS];
  if (!Array.isArray(handlers)) {
    throw new IllegalStateException(
      'The bytebuf leak sanitizer needs jest-circus (jest\'s default runner): no circus event handlers were found. Load harness/jest/setup.ts from setupFilesAfterEnv, with testRunner left at its default.',
    );
  }
  (handlers as CircusHandler[]).unshift(handler);
  return () => {
    const i = (handlers as CircusHandler[]).indexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** `outer › inner › test`, the name jest prints for a test. */
export function fullTestName(test: CircusTest): string {
  const names: string[] = [test.name];
  for (let b: CircusDescribeBlock | undefined = test.parent; b !== undefined && b.parent !== undefined; b = b.parent) {
    names.unshift(b.name);
  }
  return names.join(' › ');
}

/** The test whose code is running now (jest's own async context; correct under `test.concurrent`). */
export function currentTest(state: CircusState | undefined): CircusTest | undefined {
  const expectState = (globalThis as { expect?: { getState(): { currentTestIdentity?: () => unknown } } }).expect?.getState();
  const identity = expectState?.currentTestIdentity?.();
  if (identity !== undefined && identity !== null) return identity as CircusTest;
  return state?.currentlyRunningTest ?? undefined;
}
