/**
 * The session in force in this test file, and the controls test code uses on it (`leakSanitizer`):
 * opt-outs and exemptions, the same under every runner. An adapter starts the file's session with
 * `startSession` (which closes the one before it) and ends it with `endSession`.
 * @packageDocumentation
 */
import type { ByteBuf } from '../buffers/ByteBuf';
import { IllegalArgumentException } from '../errors';
import { exemptBuffer } from './exemptions';
import { parseChecks, type SanitizerCheck, type SanitizerOptions } from './options';
import { fullOptions, SanitizerSession, type SessionInit } from './session';

let active: SanitizerSession | null = null;

/**
 * Starts the sanitizer session of a test file and makes it the one `leakSanitizer` acts on,
 * closing the session in force before it. Returns undefined, and starts nothing, in mode `off`.
 * Throws `IllegalArgumentException` for a bad mode or quiesce bound.
 */
export function startSession(init: SessionInit): SanitizerSession | undefined {
  const options = fullOptions(init.options);
  if (options.mode === 'off') return undefined;
  active?.close();
  const session = new SanitizerSession({ ...init, options });
  active = session;
  return session;
}

/** Closes `session`; `leakSanitizer` acts on no session after it, if it was the one in force. */
export function endSession(session: SanitizerSession): void {
  session.close();
  if (active === session) active = null;
}

/** The session in force in this test file, if any. */
export function activeSession(): SanitizerSession | undefined {
  return active ?? undefined;
}

function checkReason(reason: unknown): asserts reason is string {
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new IllegalArgumentException(`Expected reason to be a non-empty string, got ${typeof reason === 'string' ? `'${reason}'` : String(reason)}`);
  }
}

/** The per-test and per-file controls of the sanitizer, for use inside test files. */
export const leakSanitizer = {
  /**
   * Switches checks off, with a reason (Deno's `sanitizeResources: false`). Inside a test (or its
   * `beforeEach`/`afterEach`): for that test. In a `describe` body: for the tests of that block.
   * At the top of a test file (or in `beforeAll`): for the whole file. `checks` names what is
   * switched off: `'leaks'`, `'misuses'` (over-releases, uses after free), `'timers'`,
   * `'resources'` (Node resources left open, operations not awaited, `track()`ed resources not
   * released), one kind of resource (`'resources:server'`, `'resources:socket'`,
   * `'resources:file-handle'`, `'resources:child-process'`, `'resources:worker'`,
   * `'resources:zlib'`, `'resources:op'`, or a `track()` kind such as `'resources:db pool'`), or a
   * list; every whole check when omitted. Opt-outs and their reasons appear in the leak reporter's summary.
   *
   * @example leakSanitizer.optOut('asserts the double-release error itself', 'misuses');
   * @example leakSanitizer.optOut('the shared test server lives for the whole file', 'resources:server');
   */
  optOut(reason: string, checks?: SanitizerCheck | readonly SanitizerCheck[]): void {
    checkReason(reason);
    const list = parseChecks(checks);
    active?.optOut(reason, list);
  },

  /**
   * Exempts one buffer from the leak check, with a reason: a module-level singleton made lazily
   * inside a test, which lives as long as the process (Netty 4.2's static-singleton exemption).
   * A view exempts the buffer it views; a composite exempts the components it holds.
   * Returns `buf`, so it can wrap the allocation. Untracked buffers (`EMPTY_BUFFER`) need nothing.
   *
   * @example const HEADER = leakSanitizer.exempt(Unpooled.copiedBuffer(bytes), 'process-wide constant');
   */
  exempt<T extends ByteBuf>(buf: T, reason: string): T {
    checkReason(reason);
    exemptBuffer(buf, reason);
    return buf;
  },

  /** True when the sanitizer is installed in this test file. */
  get installed(): boolean {
    return active !== null;
  },

  /** The options of the installed sanitizer, or undefined. */
  get options(): Readonly<SanitizerOptions> | undefined {
    return active?.options;
  },
};
