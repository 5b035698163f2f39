/**
 * The jest leak sanitizer: every test runs in its own ledger scope, and after the test (its
 * `afterEach` hooks included) the sanitizer fails that test if it leaked buffers, over-released
 * one (or used one after free), or left a timer it started pending; `beforeAll`/`afterAll` hooks
 * share a file scope, checked at the end of the file with the work the tests left running. The
 * checks, their waiting and their message are the runner-independent core's
 * (`harness/sanitizer`); this module connects the core to jest-circus: through its event handlers
 * on jest 30 (`internal/circusEvents.ts`), through its state object on jest 29, whose handlers are
 * out of reach (`internal/circusState.ts`). The same setup file serves both.
 * @packageDocumentation
 */
import {
  endSession,
  FILE_HOOKS_LABEL,
  fullOptions,
  leakSanitizer,
  startSession,
  type OptOutTarget,
  type SanitizerOptions,
  type SanitizerSession,
} from '../sanitizer';
import { circusEventHandlers, circusState, currentTest } from './internal/circus';
import { IllegalStateException } from '../errors';
import { attachToCircusEvents } from './internal/circusEvents';
import { attachToCircusState } from './internal/circusState';

export { FILE_HOOKS_LABEL, leakSanitizer };

/** What runs this test file instead of jest-circus, and what to do about it. */
function notCircusMessage(): string {
  const found =
    typeof (globalThis as { jasmine?: unknown }).jasmine === 'object'
      ? "jest-jasmine2 (a global 'jasmine' object)"
      : "neither jest-circus 30's event handlers (globalThis[Symbol.for('EVENT_HANDLERS')]) nor a jest-circus state (globalThis[Symbol('JEST_STATE_SYMBOL')])";
  return (
    `The bytebuf leak sanitizer needs jest-circus, jest's default test runner (jest 29 or 30), but found ${found}. ` +
    "Remove testRunner from the jest config (or set it to 'jest-circus'), and load bytebuf-leak-harness/jest/setup from setupFilesAfterEnv (not setupFiles)."
  );
}

/** The test file jest runs now. */
function testPath(): string | undefined {
  return (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
}

/**
 * Installs the sanitizer in the current test file (the setup file does this; call it yourself
 * from your own `setupFilesAfterEnv` file to pass options). Switches the exact ledger on at
 * `options.level`. Does nothing in mode `off`. Returns a function that uninstalls it.
 * Throws `IllegalStateException` when the test runner is not jest-circus.
 */
export function installLeakSanitizer(options: Partial<SanitizerOptions> = {}): () => void {
  const full = fullOptions(options);
  if (full.mode === 'off') return () => undefined;
  const handlers = circusEventHandlers();
  const state = circusState();
  if (state === undefined) throw new IllegalStateException(notCircusMessage());
  const session: SanitizerSession = startSession({
    options: full,
    testFile: testPath,
    locate: (): OptOutTarget => {
      const test = currentTest(state);
      const run = test !== undefined ? session.runOf(test) : undefined;
      if (run !== undefined) return { kind: 'test', run };
      const block = state.currentDescribeBlock;
      if (!state.hasStarted && block.parent !== undefined) return { kind: 'block', key: block, name: block.name };
      return { kind: 'file' };
    },
  })!;
  let detached = false;
  let detach = (): void => undefined;
  const uninstall = (): void => {
    if (detached) return;
    detached = true;
    detach();
    endSession(session);
  };
  if (handlers !== undefined) detach = attachToCircusEvents(session, handlers, uninstall);
  else attachToCircusState(session, state, uninstall);
  return uninstall;
}
