/**
 * The jest leak sanitizer: every test runs in its own ledger scope, and after the test (its
 * `afterEach` hooks included) the sanitizer fails that test if it leaked buffers, over-released
 * one (or used one after free), or left a timer it started pending. Like Deno's test sanitizers,
 * but for reference-counted buffers.
 *
 * How a test gets its scope: `AsyncLocalStorage.enterWith` in a `beforeEach` does not reach the
 * test body in jest-circus (checked on jest 30), so the sanitizer hooks jest-circus's event loop
 * instead: at `test_fn_start` / `hook_start` it replaces the function jest is about to call with
 * one that runs it inside `ledger.runIn(scope, fn)`. That covers every way a test is declared
 * (`test`, `it`, `.only`, `.each`, `.concurrent`, `.failing`, `@jest/globals` imports), and work
 * the test starts (callbacks, continuations after `await`, timers) stays in its scope, so a buffer
 * leaked in a callback after the test returned is blamed on that test, not on the next one.
 *
 * Buffers still in flight when the test returns (held by a channel that releases them on its next
 * tick, or by a timer or an `fs` callback the test started) are not leaks: before it judges, the
 * sanitizer waits for the test's own pending work (immediates, timers due within the bound, I/O
 * requests), at most `quiesceMs`, however slow the event loop is. What cannot finish by itself
 * (an interval, a timer due after the bound) is judged at once. `beforeAll`/`afterAll` hooks share
 * a file-level scope, checked at the end of the file. A test's work that outlives its check (an
 * `fs.readFile` callback after the last test of a file, a timer that fires during a later test)
 * stays in its scope: once the file's tests are done, the sanitizer waits for that work too, and
 * fails the file with what it leaked, under the name of the test that started it.
 * @packageDocumentation
 */
import { setImmediate as realSetImmediate, setTimeout as realSetTimeout } from 'node:timers';
import { performance } from 'node:perf_hooks';
import { IllegalArgumentException } from '../errors';
import type { ByteBuf } from '../buffers/ByteBuf';
import { LeakDetection, ledger } from '../tracking/LeakDetection';
import type { LeakScope, LedgerCheckpoint } from '../tracking/LeakScope';
import { relativeFile } from '../tracking/stack';
import { LeakSanitizerError } from './errors';
import {
  addFirstCircusHandler,
  currentTest,
  fullTestName,
  type CircusEvent,
  type CircusFn,
  type CircusHook,
  type CircusState,
  type CircusTest,
} from './internal/circus';
import { exemptBuffer, forgetClosedExemptions } from './internal/exemptions';
import { firstSite, formatOutcome } from './internal/formatOutcome';
import { PendingWork } from './internal/pendingWork';
import { OptOutRegistry, type OptOut, type OptOutTarget } from './internal/optOuts';
import { enabledChecks, evaluate, liveLeaks, type SanitizerOutcome } from './internal/outcome';
import { recordOf, writeRecords, type LeakRecord } from './internal/records';
import {
  DEFAULT_SANITIZER_OPTIONS,
  parseChecks,
  parseQuiesceMs,
  parseSanitizerMode,
  type SanitizerCheck,
  type SanitizerOptions,
} from './options';

/** Label of the file-level findings (`beforeAll`/`afterAll` hooks). */
export const FILE_HOOKS_LABEL = '(beforeAll/afterAll hooks)';

const WRAPPED = Symbol('bytebuf-leak-sanitizer.wrapped');

// Real timers and clock, taken from Node's modules: jest's fake timers replace the globals only.
const tick = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));
const pause = (ms: number): Promise<void> => new Promise((resolve) => realSetTimeout(resolve, ms));

/**
 * Turns of the event loop the sanitizer always gives live buffers, pending work or not: a channel
 * often releases on its next tick, through promises the ledger cannot see as work.
 */
const SETTLE_TICKS = 20;

function isGeneratorFunction(fn: CircusFn): boolean {
  return (fn as { constructor?: { name?: string } }).constructor?.name === 'GeneratorFunction';
}

/**
 * `fn` wrapped to run inside the scope `scopeFor()` returns when jest calls it, with the same
 * arity (jest passes `done` to functions that declare a parameter). Generator functions, which
 * jest runs through `co`, are left as they are (their buffers are not checked).
 */
function inScope(fn: CircusFn, scopeFor: () => LeakScope | undefined): CircusFn {
  if (isGeneratorFunction(fn) || (fn as { [WRAPPED]?: unknown })[WRAPPED] !== undefined) return fn;
  const wrapped: CircusFn =
    fn.length > 0
      ? function withDone(this: unknown, done: unknown) {
          const scope = scopeFor();
          return scope === undefined ? fn.call(this, done) : ledger.runIn(scope, () => fn.call(this, done));
        }
      : function withoutDone(this: unknown) {
          const scope = scopeFor();
          return scope === undefined ? fn.call(this) : ledger.runIn(scope, () => fn.call(this));
        };
  Object.defineProperty(wrapped, WRAPPED, { value: fn });
  return wrapped;
}

/** A test that has started and not yet been checked. */
interface TestRun {
  readonly scope: LeakScope;
}

/** A checked test, kept until the end of the file to catch what its work leaks afterwards. */
interface CheckedRun {
  readonly scope: LeakScope;
  readonly checkpoint: LedgerCheckpoint;
  readonly optOuts: OptOut[];
}

/** One installation, in one test file (jest loads setup files once per test file). */
class Installation {
  readonly options: SanitizerOptions;
  private state: CircusState | undefined;
  private readonly runs = new Map<CircusTest, TestRun>();
  private readonly checked: CheckedRun[] = [];
  private readonly work = new PendingWork();
  private readonly optOuts = new OptOutRegistry();
  private readonly fileScope: LeakScope;
  private readonly removeHandler: () => void;
  private testsChecked = 0;
  private testFile: string | undefined;
  private warnedAboutRecords = false;

  constructor(options: SanitizerOptions) {
    this.options = options;
    LeakDetection.configure({ exactLedger: true, level: options.level });
    this.fileScope = ledger.openScope(FILE_HOOKS_LABEL);
    this.work.enable();
    this.work.watch(this.fileScope);
    this.removeHandler = addFirstCircusHandler((event, state) => this.handle(event, state));
  }

  /** Removes the event handler and the timer hook. */
  uninstall(): void {
    this.removeHandler();
    this.work.disable();
  }

  optOut(reason: string, checks: readonly SanitizerCheck[]): void {
    const test = currentTest(this.state);
    let target: OptOutTarget;
    if (test !== undefined) target = { kind: 'test', test };
    else if (this.state !== undefined && !this.state.hasStarted) target = { kind: 'block', block: this.state.currentDescribeBlock };
    else target = { kind: 'file' };
    this.optOuts.add(target, reason, checks);
  }

  /** jest awaits what a handler returns: only the checks return a promise, other events none. */
  private handle(event: CircusEvent, state: CircusState): Promise<void> | undefined {
    this.state = state;
    const { test, hook } = event;
    switch (event.name) {
      case 'test_start':
        if (test !== undefined) this.startTest(test);
        return undefined;
      case 'test_skip':
      case 'test_todo':
        if (test !== undefined) this.dropTest(test);
        return undefined;
      case 'test_fn_start':
        if (test !== undefined) this.wrapTest(test);
        return undefined;
      case 'hook_start':
        if (hook !== undefined) this.wrapHook(hook);
        return undefined;
      case 'test_done':
        return test !== undefined ? this.finishTest(test) : undefined;
      case 'run_finish':
        return this.finishFile(state);
      case 'teardown':
        this.uninstall();
        return undefined;
      default:
        return undefined;
    }
  }

  private startTest(test: CircusTest): void {
    forgetClosedExemptions();
    const previous = this.runs.get(test);
    if (previous !== undefined) this.work.unwatch(previous.scope);
    const scope = ledger.openScope(fullTestName(test));
    this.work.watch(scope);
    this.runs.set(test, { scope });
  }

  private dropTest(test: CircusTest): void {
    const run = this.runs.get(test);
    if (run === undefined) return;
    this.work.unwatch(run.scope);
    this.runs.delete(test);
  }

  private wrapTest(test: CircusTest): void {
    test.fn = inScope(test.fn, () => this.runs.get(test)?.scope);
  }

  private wrapHook(hook: CircusHook): void {
    if (hook.type === 'beforeAll' || hook.type === 'afterAll') {
      hook.fn = inScope(hook.fn, () => this.fileScope);
    } else {
      hook.fn = inScope(hook.fn, () => {
        const test = currentTest(this.state);
        return test === undefined ? undefined : this.runs.get(test)?.scope;
      });
    }
  }

  /** `quiesceMs` from now, as a `performance.now()` time. */
  private deadline(): number {
    return performance.now() + this.options.quiesceMs;
  }

  /**
   * Waits until `unsettled(spins)` is false, or the deadline has passed: a few turns of the
   * event loop (immediates first: a channel's next tick), then short sleeps so timers can fire and
   * I/O complete. What is waited for is work; the deadline only bounds it.
   */
  private async settle(deadline: number, unsettled: (spins: number) => boolean): Promise<void> {
    for (let spins = 0; unsettled(spins) && performance.now() < deadline; spins++) {
      await (spins < SETTLE_TICKS ? tick() : pause(1));
    }
  }

  /**
   * Waits for what the enabled checks look at in `scope` to settle: live buffers while the scope
   * has work that can release them by the deadline, timers that will fire by then.
   */
  private quiesce(scope: LeakScope, on: Set<SanitizerCheck>, deadline: number): Promise<void> {
    return this.settle(deadline, (spins) => {
      if (on.has('timers') && this.work.hasTimerFiringBy(scope, deadline)) return true;
      if (!on.has('leaks') || liveLeaks(scope).length === 0) return false;
      return spins < SETTLE_TICKS || this.work.hasWorkFinishingBy(scope, deadline);
    });
  }

  /** Waits for the work checked tests started, whose callbacks may still make buffers. */
  private quiesceLateWork(deadline: number): Promise<void> {
    return this.settle(
      deadline,
      (spins) => spins < SETTLE_TICKS || this.checked.some((c) => this.work.hasWorkFinishingBy(c.scope, deadline)),
    );
  }

  private async finishTest(test: CircusTest): Promise<void> {
    const run = this.runs.get(test);
    if (run === undefined) return;
    this.runs.delete(test);
    // A test that already failed (or is expected to fail) is not checked: its leaks are a symptom.
    if (test.errors.length > 0 || (test as { failing?: boolean }).failing === true) {
      this.work.unwatch(run.scope);
      return;
    }
    const optOuts = this.optOuts.for(test);
    const on = enabledChecks(optOuts);
    if (on.size > 0) await this.quiesce(run.scope, on, this.deadline());
    const outcome = evaluate({
      testName: run.scope.name,
      when: 'test',
      scope: run.scope,
      leaks: liveLeaks(run.scope),
      misuses: run.scope.misuses,
      // Still watched: what its pending work starts later is waited for at the end of the file.
      timers: [...this.work.timers(run.scope)],
      optOuts,
    });
    this.testsChecked++;
    this.work.forgetFinished(run.scope);
    this.checked.push({ scope: run.scope, checkpoint: ledger.checkpoint(run.scope), optOuts });
    this.conclude(outcome, (error) => test.errors.push([error, error]));
  }

  private async finishFile(state: CircusState): Promise<void> {
    const failFile = (error: Error): void => {
      state.unhandledErrors.push(error);
    };
    const optOuts = this.optOuts.for(null);
    const on = enabledChecks(optOuts);
    const deadline = this.deadline();
    if (on.size > 0) await this.quiesce(this.fileScope, on, deadline);
    this.conclude(
      evaluate({
        testName: FILE_HOOKS_LABEL,
        when: 'file-hooks',
        scope: this.fileScope,
        leaks: liveLeaks(this.fileScope),
        misuses: this.fileScope.misuses,
        timers: this.work.unwatch(this.fileScope),
        optOuts,
      }),
      failFile,
    );
    await this.quiesceLateWork(deadline);
    for (const c of this.checked) {
      this.work.unwatch(c.scope);
      const late = evaluate({
        testName: c.scope.name,
        when: 'after-test',
        scope: c.scope,
        leaks: liveLeaks(c.scope, c.checkpoint.lastId),
        misuses: c.scope.misuses.slice(c.checkpoint.misuseCount),
        timers: [],
        optOuts: c.optOuts,
      });
      if (late.verdict === 'leaked') this.conclude(late, failFile);
    }
    this.checked.length = 0;
    this.write([{ type: 'file', file: this.file(), testsChecked: this.testsChecked }]);
  }

  /** Records the outcome for the reporter and, in `fail` mode, fails the test (or file) with the report. */
  private conclude(outcome: SanitizerOutcome, fail: (error: Error) => void): void {
    if (outcome.verdict === 'leaked' || outcome.optOuts.length > 0) this.write([recordOf(this.file(), outcome)]);
    if (outcome.verdict === 'leaked' && this.options.mode === 'fail') fail(new LeakSanitizerError(formatOutcome(outcome), firstSite(outcome)));
  }

  private write(records: LeakRecord[]): void {
    if (this.options.recordsDir === undefined) return;
    try {
      writeRecords(this.options.recordsDir, records);
    } catch (error) {
      // A stale folder (e.g. inherited from another jest run) must not break the tests themselves.
      if (!this.warnedAboutRecords) {
        this.warnedAboutRecords = true;
        process.stderr.write(`leak-sanitizer: cannot write leak records to ${this.options.recordsDir}: ${(error as Error).message}\n`);
      }
    }
  }

  private file(): string {
    if (this.testFile === undefined) {
      const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
      this.testFile = testPath !== undefined ? relativeFile(testPath) : '<unknown test file>';
    }
    return this.testFile;
  }
}

let installation: Installation | null = null;

function checkReason(reason: unknown): asserts reason is string {
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new IllegalArgumentException(`Expected reason to be a non-empty string, got ${typeof reason === 'string' ? `'${reason}'` : String(reason)}`);
  }
}

/**
 * Installs the sanitizer in the current test file (the setup file does this; call it yourself
 * from your own `setupFilesAfterEnv` file to pass options). Switches the exact ledger on at
 * `options.level`. Does nothing in mode `off`. Returns a function that uninstalls it.
 * Throws `IllegalStateException` when the test runner is not jest-circus.
 */
export function installLeakSanitizer(options: Partial<SanitizerOptions> = {}): () => void {
  const full: SanitizerOptions = { ...DEFAULT_SANITIZER_OPTIONS, ...options };
  parseSanitizerMode(full.mode);
  parseQuiesceMs(String(full.quiesceMs));
  if (full.mode === 'off') return () => undefined;
  installation?.uninstall();
  const mine = new Installation(full);
  installation = mine;
  return () => {
    mine.uninstall();
    if (installation === mine) installation = null;
  };
}

/** The per-test and per-file controls of the sanitizer, for use inside test files. */
export const leakSanitizer = {
  /**
   * Switches checks off, with a reason (Deno's `sanitizeResources: false`). Inside a test (or its
   * `beforeEach`/`afterEach`): for that test. In a `describe` body: for the tests of that block.
   * At the top of a test file (or in `beforeAll`): for the whole file. `checks` names what is
   * switched off: `'leaks'`, `'misuses'` (over-releases, uses after free), `'timers'`, or a list;
   * all three when omitted. Opt-outs and their reasons appear in the leak reporter's summary.
   *
   * @example leakSanitizer.optOut('asserts the double-release error itself', 'misuses');
   */
  optOut(reason: string, checks?: SanitizerCheck | readonly SanitizerCheck[]): void {
    checkReason(reason);
    const list = parseChecks(checks);
    installation?.optOut(reason, list);
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
    return installation !== null;
  },

  /** The options of the installed sanitizer, or undefined. */
  get options(): Readonly<SanitizerOptions> | undefined {
    return installation?.options;
  },
};
