/**
 * @internal The sanitizer under jest-circus 30, through its event handlers (on the global object,
 * see `circus.ts`): each event maps to one call of the core session.
 *
 * - `test_start`: a run for the test; `test_skip` / `test_todo`: the run is dropped.
 * - `test_fn_start` / `hook_start`: jest reads `fn` from the entry right after, so the handler
 *   replaces it with one that runs in the test's scope (per-test hooks, the body) or the file's
 *   (`beforeAll`/`afterAll`). That covers every way a test is declared (`test`, `it`, `.only`,
 *   `.each`, `.concurrent`, `.failing`, `@jest/globals` imports).
 * - `test_done` (after the last `afterEach`): the check; its error goes to `test.errors`, which
 *   fails the test. The handler is first in the list, so the error is there before jest reports it.
 * - `run_finish` (after the last `afterAll`): the file check; errors go to `state.unhandledErrors`,
 *   which fails the file.
 */
import { inScope, type SanitizerSession } from '../../sanitizer';
import {
  addFirstCircusHandler,
  blocksOf,
  currentTest,
  fullTestName,
  type CircusEvent,
  type CircusHandler,
  type CircusState,
  type CircusTest,
} from './circus';

/** Connects `session` to jest-circus's events; returns a function that disconnects it. */
export function attachToCircusEvents(session: SanitizerSession, handlers: CircusHandler[], onTeardown: () => void): () => void {
  const runOf = (test: CircusTest | undefined) => (test === undefined ? undefined : session.runOf(test));
  let state: CircusState | undefined;
  /** Hook functions already wrapped: a hook runs for every test, and its wrapper finds the test itself. */
  const wrappedHooks = new WeakSet<object>();
  const handle = (event: CircusEvent, s: CircusState): Promise<void> | undefined => {
    state = s;
    const { test, hook } = event;
    switch (event.name) {
      case 'test_start':
        if (test !== undefined) session.startTest(fullTestName(test), { key: test, blocks: blocksOf(test) });
        return undefined;
      case 'test_skip':
      case 'test_todo': {
        const run = runOf(test);
        if (run !== undefined) session.dropTest(run);
        return undefined;
      }
      case 'test_fn_start':
        if (test !== undefined) test.fn = inScope(test.fn, () => runOf(test));
        return undefined;
      case 'hook_start':
        if (hook !== undefined && !wrappedHooks.has(hook.fn)) {
          hook.fn =
            hook.type === 'beforeAll' || hook.type === 'afterAll' ? inScope(hook.fn, session.file) : inScope(hook.fn, () => runOf(currentTest(state)));
          wrappedHooks.add(hook.fn);
        }
        return undefined;
      case 'test_done':
        return test !== undefined ? finishTest(session, test) : undefined;
      case 'run_finish':
        return finishFile(session, s);
      case 'teardown':
        onTeardown();
        return undefined;
      default:
        return undefined;
    }
  };
  return addFirstCircusHandler(handlers, handle);
}

/** The test check, its error (if any) added to the test's errors. */
export async function finishTest(session: SanitizerSession, test: CircusTest): Promise<void> {
  const run = session.runOf(test);
  if (run === undefined) return;
  const failed = test.errors.length > 0 || test.failing === true;
  const { error } = await session.finishTest(run, { failed });
  if (error !== undefined) test.errors.push([error, error]);
}

/** The file check, its errors added to the file's. */
export async function finishFile(session: SanitizerSession, state: CircusState): Promise<void> {
  const { errors } = await session.finishFile();
  state.unhandledErrors.push(...errors);
}
