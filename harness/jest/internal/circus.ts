/**
 * @internal The small part of jest-circus the sanitizer relies on, typed structurally (no import
 * of jest's internal packages), and how to find it from a setup file.
 *
 * jest-circus 29 and 30 both keep their state object on the global object under an unregistered
 * `Symbol('JEST_STATE_SYMBOL')` (found by its description). jest-circus 30 also keeps its event
 * handlers in an array under `Symbol.for('EVENT_HANDLERS')` and awaits each handler in turn for
 * every event (`circusEvents.ts` uses them); jest-circus 29 keeps them in a module-local array, so
 * under 29 the sanitizer works through the state alone (`circusState.ts`).
 */
/** A function jest calls for a test or hook (`done`-taking or not). */
export type CircusFn = (this: unknown, ...args: unknown[]) => unknown;

/** A describe block (the file itself is the root block). */
export interface CircusDescribeBlock {
  readonly type: 'describeBlock';
  readonly name: string;
  readonly parent?: CircusDescribeBlock;
  /** Its tests and blocks, in declaration order. */
  readonly children: readonly (CircusDescribeBlock | CircusTest)[];
  /** Its hooks, in declaration order (jest runs a block's `afterEach`/`afterAll` hooks in this order). */
  hooks: CircusHook[];
}

/** A test entry. `errors` holds `[error, asyncError]` pairs or errors. */
export interface CircusTest {
  readonly type: 'test';
  readonly name: string;
  readonly parent: CircusDescribeBlock;
  fn: CircusFn;
  errors: unknown[];
  /** `test.failing`: expected to fail. */
  readonly failing?: boolean;
  /** `test.concurrent`: runs without `beforeEach`/`afterEach` hooks. */
  readonly concurrent?: boolean;
}

/** A hook entry. */
export interface CircusHook {
  readonly type: 'beforeAll' | 'beforeEach' | 'afterEach' | 'afterAll';
  fn: CircusFn;
}

/** The state object jest-circus passes to every handler. */
export interface CircusState {
  readonly rootDescribeBlock: CircusDescribeBlock;
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

const STATE_DESCRIPTION = 'JEST_STATE_SYMBOL';

/**
 * jest-circus's state object, if this file runs under jest-circus (29 or 30): it is on the global
 * object under an unregistered `Symbol('JEST_STATE_SYMBOL')`, found by its description.
 */
export function circusState(): CircusState | undefined {
  const g = globalThis as unknown as Record<symbol, unknown>;
  for (const sym of Object.getOwnPropertySymbols(globalThis)) {
    if (sym.description !== STATE_DESCRIPTION) continue;
    const value = g[sym];
    if (typeof value === 'object' && value !== null && 'rootDescribeBlock' in value) return value as unknown as CircusState;
  }
  return undefined;
}

/** A jest-circus event handler. */
export type CircusHandler = (event: CircusEvent, state: CircusState) => void | Promise<void>;

const EVENT_HANDLERS = Symbol.for('EVENT_HANDLERS');

/** jest-circus 30's handler list on the global object, if this file runs under it. */
export function circusEventHandlers(): CircusHandler[] | undefined {
  const handlers = (globalThis as Record<symbol, unknown>)[EVENT_HANDLERS];
  return Array.isArray(handlers) ? (handlers as CircusHandler[]) : undefined;
}

/**
 * Puts `handler` first in jest-circus's handler list (so at `test_done` its errors are in place
 * before jest formats and reports the test), and returns a function that removes it.
 */
export function addFirstCircusHandler(handlers: CircusHandler[], handler: CircusHandler): () => void {
  handlers.unshift(handler);
  return () => {
    const i = handlers.indexOf(handler);
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

/** The describe blocks `test` is declared in, innermost first, without the file's root block. */
export function blocksOf(test: CircusTest): CircusDescribeBlock[] {
  const blocks: CircusDescribeBlock[] = [];
  for (let b: CircusDescribeBlock | undefined = test.parent; b !== undefined && b.parent !== undefined; b = b.parent) blocks.push(b);
  return blocks;
}

/** The test whose code is running now (jest's own async context; correct under `test.concurrent`). */
export function currentTest(state: CircusState | undefined): CircusTest | undefined {
  const expectState = (globalThis as { expect?: { getState(): { currentTestIdentity?: () => unknown } } }).expect?.getState();
  const identity = expectState?.currentTestIdentity?.();
  if (identity !== undefined && identity !== null) return identity as CircusTest;
  return state?.currentlyRunningTest ?? undefined;
}
