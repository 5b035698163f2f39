/**
 * The jest leak sanitizer: every test runs in its own ledger scope, and after the test (its
 * `afterEach` hooks included) the sanitizer fails that test if it leaked buffers, over-released
 * one (or used one after free), or left a timer it started pending; `beforeAll`/`afterAll` hooks
 * share a file scope, checked at the end of the file with the work the tests left running. The
 * checks, their waiting and their message are the runner-independent core's
 * (`harness/sanitizer`); this module connects the core to jest-circus (see `internal/circusEvents.ts`).
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
import { attachToCircusEvents } from './internal/circusEvents';
import { IllegalStateException } from '../errors';

export { FILE_HOOKS_LABEL, leakSanitizer };

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
  if (handlers === undefined) {
    throw new IllegalStateException(
      "The bytebuf leak sanitizer needs jest-circus (jest's default runner): no circus event handlers were found. Load harness/jest/setup.ts from setupFilesAfterEnv, with testRunner left at its default.",
    );
  }
  const state = circusState();
  const session: SanitizerSession = startSession({
    options: full,
    testFile: testPath,
    locate: (): OptOutTarget => {
      const test = currentTest(state);
      const run = test !== undefined ? session.runOf(test) : undefined;
      if (run !== undefined) return { kind: 'test', run };
      const block = state?.currentDescribeBlock;
      if (state !== undefined && !state.hasStarted && block?.parent !== undefined) return { kind: 'block', key: block, name: block.name };
      return { kind: 'file' };
    },
  })!;
  let detached = false;
  const uninstall = (): void => {
    if (detached) return;
    detached = true;
    detach();
    endSession(session);
  };
  const detach = attachToCircusEvents(session, handlers, uninstall);
  return uninstall;
}
