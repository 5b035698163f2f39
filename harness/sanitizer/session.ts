/**
 * The leak sanitizer's per-file logic, independent of any test runner: a `SanitizerSession` per
 * test file runs each test in its own ledger scope and, after the test (its `afterEach` hooks
 * included), judges whether it leaked buffers, over-released one (or used one after free), or left
 * a timer it started pending. Like Deno's test sanitizers, but for reference-counted buffers.
 *
 * A runner adapter stays thin: it calls `startTest` when a test starts, wraps the test's function
 * and its per-test hooks with `inScope(fn, run)` (and `beforeAll`/`afterAll` hooks with
 * `inScope(fn, session.file)`), calls `finishTest` after the last `afterEach` and fails the test
 * with the error it returns, and calls `finishFile` after the file's last `afterAll`.
 *
 * Buffers still in flight when the test returns (held by a channel that releases them on its next
 * tick, or by a timer or an `fs` callback the test started) are not leaks: before it judges,
 * `finishTest` waits for the test's own pending work (immediates, timers due within the bound, I/O
 * requests), at most `quiesceMs`, however slow the event loop is. What cannot finish by itself (an
 * interval, a timer due after the bound) is judged at once. A test's work that outlives its check
 * (an `fs.readFile` callback after the last test of a file, a timer that fires during a later
 * test) stays in its scope: `finishFile` waits for that work too, and reports what it leaked under
 * the name of the test that started it.
 *
 * Scopes and the async context: the file scope and every test's scope are held open from their
 * start to the end of the file (their late work counts in them), and the session keeps the async
 * context on from its start to the end of the file: switching it off between tests and on again
 * cost jest more (about 95,000 instructions per test) than its promises between tests paid for it.
 *
 * With resources on (the default), the same hooks record the Node resources a test opens
 * (servers, sockets, file handles, child processes, workers, zlib streams) and the requests under
 * the promises it starts: what is still in flight when the test ends is an operation it did not
 * await, and what is still open after a short grace (a socket closed in the test may take a
 * tick to be destroyed) is a resource it left open. `track()`ed resources not released count too.
 * @packageDocumentation
 */
import { setImmediate as realSetImmediate, setTimeout as realSetTimeout } from 'node:timers';
import { performance } from 'node:perf_hooks';
import { holdScope, LeakDetection, ledger } from '../tracking/LeakDetection';
import type { LeakScope, LedgerCheckpoint } from '../tracking/LeakScope';
import { activate, deactivate } from '../tracking/scopeContext';
import { relativeFile } from '../tracking/stack';
import { LeakSanitizerError } from './errors';
import { forgetClosedExemptions } from './exemptions';
import { firstSite, formatOutcome } from './formatOutcome';
import { OptOutRegistry, type OptOut, type OptOutSubject, type OptOutTarget } from './optOuts';
import { enabledChecks, evaluate, liveLeaks, liveTracked, resourceKindsOff, type LeakedOutcome, type SanitizerOutcome } from './outcome';
import { PendingWork } from './pendingWork';
import { describeNodeResource, describePendingOp, describeTracked, type OpenResourceInfo } from '../resources/describe';
import { openResources } from '../resources/nodeResources';
import { promiseOpName } from '../resources/pendingOps';
import { recordOf, writeRecords, type LeakRecord } from './records';
import type { ScopeOwner } from './scope';
import { DEFAULT_SANITIZER_OPTIONS, parseQuiesceMs, parseSanitizerMode, type SanitizerCheck, type SanitizerOptions } from './options';

/** Label of the file-level findings (`beforeAll`/`afterAll` hooks). */
export const FILE_HOOKS_LABEL = '(beforeAll/afterAll hooks)';

// Real timers and clock, taken from Node's modules: fake timers replace the globals only.
const tick = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));
const pause = (ms: number): Promise<void> => new Promise((resolve) => realSetTimeout(resolve, ms));

/**
 * Turns of the event loop the sanitizer always gives live buffers, pending work or not: a channel
 * often releases on its next tick, through promises the ledger cannot see as work.
 */
const SETTLE_TICKS = 20;

/**
 * How long, at most, a resource still open when the test has ended may take to close by itself
 * (a socket ended in the test, a child killed, a worker told to terminate) before it is reported.
 * Only a test that leaves one open waits; the turns of `SETTLE_TICKS` come first in any case.
 */
export const RESOURCE_GRACE_MS = 500;

/** One run of one test (a retried test gets a new run), from `startTest` to `finishTest`. */
export class TestRun implements ScopeOwner, OptOutSubject {
  /** @internal Made by `SanitizerSession.startTest`. */
  constructor(
    /** The name reports use: `outer › inner › test`. */
    readonly name: string,
    /** The ledger scope its buffers are counted in. */
    readonly scope: LeakScope,
    /** The adapter's key for the test (see `StartTestOptions.key`). */
    readonly key: unknown,
    /** The keys of the blocks it is declared in, innermost first. */
    readonly blocks: readonly unknown[],
  ) {}
}

/** How `startTest` places a test. */
export interface StartTestOptions {
  /**
   * The adapter's handle on the test (jest's test entry, vitest's task); `runOf(key)` finds the
   * run again. Starting a test whose key has a run still open drops that run (a retry).
   */
  key?: unknown;
  /** Keys of the blocks the test is declared in, innermost first: their opt-outs apply to it. */
  blocks?: readonly unknown[];
}

/** What the runner knows about a finished test. */
export interface FinishTestOptions {
  /** The test already failed (or is expected to fail): it is not checked, its leaks are a symptom. */
  failed?: boolean;
  /** More opt-outs for this test, from the runner's own metadata. */
  optOuts?: readonly OptOut[];
}

/** What `finishTest` found. */
export interface TestCheck {
  /** The outcome; undefined when the test was not checked (it had failed). */
  readonly outcome: SanitizerOutcome | undefined;
  /** The error to fail the test with: set when it leaked and the mode is `fail`. */
  readonly error: LeakSanitizerError | undefined;
}

/** What `finishFile` found: the file scope's outcome and the late findings of the file's tests. */
export interface FileCheck {
  /** The file scope's outcome (clean or not), then each late outcome that leaked. */
  readonly outcomes: SanitizerOutcome[];
  /** Errors to fail the file with (mode `fail`), one per leaked outcome, in the same order. */
  readonly errors: LeakSanitizerError[];
}

/** How to make a session. */
export interface SessionInit {
  /** Settings; missing ones from `DEFAULT_SANITIZER_OPTIONS`. */
  options?: Partial<SanitizerOptions>;
  /**
   * The test file (absolute or relative; shown relative to the working directory), or a function
   * giving it when first needed (undefined: not known).
   */
  testFile: string | (() => string | undefined);
  /**
   * Where `optOut` applies when it is called outside every test's scope (a describe body while the
   * runner collects tests, say): the adapter's answer, or undefined for the file.
   */
  locate?: () => OptOutTarget | undefined;
}

/** A checked run, kept until the end of the file to catch what its work leaks afterwards. */
interface CheckedRun {
  readonly run: TestRun;
  readonly checkpoint: LedgerCheckpoint;
  readonly optOuts: OptOut[];
  /** How many of its Node resource records were open at its check: later ones are late findings. */
  readonly resourcesAtCheck: number;
}

/** Options with the defaults filled in, checked. */
export function fullOptions(options: Partial<SanitizerOptions> = {}): SanitizerOptions {
  const full: SanitizerOptions = { ...DEFAULT_SANITIZER_OPTIONS, ...options };
  parseSanitizerMode(full.mode);
  parseQuiesceMs(String(full.quiesceMs));
  return full;
}

/** The sanitizer of one test file. Switches the exact ledger on at `options.level` when made. */
export class SanitizerSession {
  readonly options: Readonly<SanitizerOptions>;
  /** The file scope: `beforeAll`/`afterAll` hooks run in it (wrap them with `inScope(fn, session.file)`). */
  readonly file: ScopeOwner;
  private readonly open = new Map<unknown, TestRun>();
  private readonly byScope = new Map<LeakScope, TestRun>();
  private readonly checked: CheckedRun[] = [];
  private readonly work: PendingWork;
  private readonly optOuts = new OptOutRegistry();
  private readonly testFileSource: SessionInit['testFile'];
  private readonly locate: (() => OptOutTarget | undefined) | undefined;
  private testFile: string | undefined;
  private testsChecked = 0;
  private fileFinished = false;
  private isClosed = false;
  private warnedAboutRecords = false;
  /** Ends the hold that keeps a scope open, by scope (the file's, every test's until the file ends). */
  private readonly openHolds = new Map<LeakScope, () => void>();
  /** Set while the session keeps the async context on (from its start to the end of the file). */
  private contextOn = false;

  constructor(init: SessionInit) {
    this.options = fullOptions(init.options);
    this.testFileSource = init.testFile;
    this.locate = init.locate;
    LeakDetection.configure({ exactLedger: true, level: this.options.level });
    this.work = new PendingWork(this.options.resources);
    this.file = { scope: ledger.openScope(FILE_HOOKS_LABEL) };
    this.work.enable();
    this.work.watch(this.file.scope);
    this.openHolds.set(this.file.scope, holdScope(this.file.scope, false));
    activate();
    this.contextOn = true;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Removes the process-wide hooks that watch pending work. The session checks nothing after it. */
  close(): void {
    this.isClosed = true;
    for (const end of this.openHolds.values()) end();
    this.openHolds.clear();
    this.releaseContext();
    this.work.disable();
  }

  /** Lets the async context switch off (once no other scope is active). */
  private releaseContext(): void {
    if (!this.contextOn) return;
    this.contextOn = false;
    deactivate();
  }

  /** Stops watching `scope` and lets it close; returns its timers. */
  private unwatch(scope: LeakScope): ReturnType<PendingWork['unwatch']> {
    this.openHolds.get(scope)?.();
    this.openHolds.delete(scope);
    return this.work.unwatch(scope);
  }

  /** Starts a run of the test `name` (`outer › inner › test`) in a new scope. */
  startTest(name: string, placement: StartTestOptions = {}): TestRun {
    forgetClosedExemptions();
    const key = placement.key;
    if (key !== undefined) {
      const previous = this.open.get(key);
      if (previous !== undefined) this.dropTest(previous);
    }
    const run = new TestRun(name, ledger.openScope(name), key, placement.blocks ?? []);
    this.work.watch(run.scope);
    this.openHolds.set(run.scope, holdScope(run.scope, false));
    this.open.set(key ?? run, run);
    this.byScope.set(run.scope, run);
    return run;
  }

  /** The open run started with `key`, if any. */
  runOf(key: unknown): TestRun | undefined {
    return this.open.get(key);
  }

  /** Forgets a run without checking it (a skipped test, a retry). */
  dropTest(run: TestRun): void {
    this.unwatch(run.scope);
    this.open.delete(run.key ?? run);
    this.byScope.delete(run.scope);
  }

  /**
   * Adds an opt-out. `target` defaults to where the calling code runs: the test whose scope is
   * current (its body, its per-test hooks, work they started), the file during `beforeAll`/
   * `afterAll`, else the adapter's `locate()` (a describe block being collected), else the file.
   */
  optOut(reason: string, checks: readonly SanitizerCheck[], target: OptOutTarget = this.currentTarget()): void {
    this.optOuts.add(target, reason, checks);
  }

  /** Where an opt-out made now applies (see `optOut`). */
  currentTarget(): OptOutTarget {
    for (let s: LeakScope | null = ledger.current(); s !== null; s = s.parent) {
      if (s === this.file.scope) return { kind: 'file' };
      const run = this.byScope.get(s);
      if (run !== undefined) return { kind: 'test', run };
    }
    return this.locate?.() ?? { kind: 'file' };
  }

  /**
   * Checks a run: waits for its pending work (at most `quiesceMs`), then judges it. Records the
   * outcome for the reporter when it leaked or had opt-outs. Call it once the test's last
   * `afterEach` has run; fail the test with `error` when there is one.
   */
  async finishTest(run: TestRun, finish: FinishTestOptions = {}): Promise<TestCheck> {
    this.open.delete(run.key ?? run);
    if (finish.failed === true) {
      this.unwatch(run.scope);
      this.byScope.delete(run.scope);
      return { outcome: undefined, error: undefined };
    }
    const optOuts = [...(finish.optOuts ?? []), ...this.optOuts.for(run)];
    const on = enabledChecks(optOuts);
    // In flight now, as the test has ended: waiting would let an operation it did not await finish.
    const ops = this.pendingOps(run.scope);
    // Most tests leave nothing to wait for: no promise, no turn of the event loop, for them.
    const quiescing = on.size > 0 ? this.quiesce(run.scope, on, this.deadline()) : undefined;
    if (quiescing !== undefined) await quiescing;
    const grace = on.has('resources') ? this.resourceGrace(run.scope, resourceKindsOff(optOuts)) : undefined;
    if (grace !== undefined) await grace;
    const outcome = evaluate({
      testName: run.name,
      when: 'test',
      scope: run.scope,
      leaks: liveLeaks(run.scope),
      misuses: run.scope.misuses,
      // Still watched: what its pending work starts later is waited for at the end of the file.
      timers: [...this.work.timers(run.scope)],
      resources: [...ops, ...this.openResourceInfos(run.scope)],
      optOuts,
    });
    this.testsChecked++;
    this.work.forgetFinished(run.scope);
    const resourcesAtCheck = this.work.resources(run.scope).length;
    this.checked.push({ run, checkpoint: ledger.checkpoint(run.scope), optOuts, resourcesAtCheck });
    return { outcome, error: this.conclude(outcome) };
  }

  /**
   * Checks the file: the file scope (after its pending work), then what the checked tests' work
   * leaked after their checks (waiting for that work too, within the same bound). Writes the
   * file's record. Call it after the file's last `afterAll`; a second call finds nothing.
   */
  async finishFile(): Promise<FileCheck> {
    if (this.fileFinished) return { outcomes: [], errors: [] };
    this.fileFinished = true;
    const outcomes: SanitizerOutcome[] = [];
    const errors: LeakSanitizerError[] = [];
    const add = (outcome: SanitizerOutcome): void => {
      outcomes.push(outcome);
      const error = this.conclude(outcome);
      if (error !== undefined) errors.push(error);
    };
    const optOuts = this.optOuts.for(null);
    const on = enabledChecks(optOuts);
    const deadline = this.deadline();
    const ops = this.pendingOps(this.file.scope);
    if (on.size > 0) await this.quiesce(this.file.scope, on, deadline);
    if (on.has('resources')) await this.resourceGrace(this.file.scope, resourceKindsOff(optOuts));
    const fileResources = [...ops, ...this.openResourceInfos(this.file.scope)];
    add(
      evaluate({
        testName: FILE_HOOKS_LABEL,
        when: 'file-hooks',
        scope: this.file.scope,
        leaks: liveLeaks(this.file.scope),
        misuses: this.file.scope.misuses,
        timers: this.unwatch(this.file.scope),
        resources: fileResources,
        optOuts,
      }),
    );
    await this.quiesceLateWork(deadline);
    for (const c of this.checked) {
      const resources = this.openResourceInfos(c.run.scope, c.resourcesAtCheck, c.checkpoint.lastId);
      this.unwatch(c.run.scope);
      this.byScope.delete(c.run.scope);
      const late = evaluate({
        testName: c.run.name,
        when: 'after-test',
        scope: c.run.scope,
        leaks: liveLeaks(c.run.scope, c.checkpoint.lastId),
        misuses: c.run.scope.misuses.slice(c.checkpoint.misuseCount),
        timers: [],
        resources,
        optOuts: c.optOuts,
      });
      if (late.verdict === 'leaked') add(late);
    }
    this.checked.length = 0;
    this.releaseContext();
    this.write([{ type: 'file', file: this.fileName(), testsChecked: this.testsChecked }]);
    return { outcomes, errors };
  }

  /** `quiesceMs` from now, as a `performance.now()` time. */
  private deadline(): number {
    return performance.now() + this.options.quiesceMs;
  }

  /**
   * Waits until `unsettled(spins)` is false, or the deadline has passed: a few turns of the
   * event loop (immediates first: a channel's next tick), then short sleeps so timers can fire and
   * I/O complete. What is waited for is work; the deadline only bounds it. Undefined when
   * nothing is to be waited for at once.
   */
  private settle(deadline: number, unsettled: (spins: number) => boolean): Promise<void> | undefined {
    return waitWhile((spins) => unsettled(spins) && performance.now() < deadline);
  }

  /**
   * Waits for what the enabled checks look at in `scope` to settle: live buffers while the scope
   * has work that can release them by the deadline, timers that will fire by then.
   */
  private quiesce(scope: LeakScope, on: Set<SanitizerCheck>, deadline: number): Promise<void> | undefined {
    return this.settle(deadline, (spins) => {
      if (on.has('timers') && this.work.hasTimerFiringBy(scope, deadline)) return true;
      if (!on.has('leaks') || liveLeaks(scope).length === 0) return false;
      return spins < SETTLE_TICKS || this.work.hasWorkFinishingBy(scope, deadline);
    });
  }

  /** The operations `scope` started under a promise and that are still in flight (none with resources off). */
  private pendingOps(scope: LeakScope): OpenResourceInfo[] {
    if (!this.options.resources) return [];
    const out: OpenResourceInfo[] = [];
    for (const r of this.work.pendingRequests(scope)) {
      const name = promiseOpName(r);
      if (name !== undefined) out.push(describePendingOp(r, name));
    }
    return out;
  }

  /**
   * The Node resources of `scope` still open (from its `fromRecord`th record on) and its `track()`ed
   * resources not released (made after ledger id `sinceId`); none with resources off.
   */
  private openResourceInfos(scope: LeakScope, fromRecord = 0, sinceId = 0): OpenResourceInfo[] {
    if (!this.options.resources) return [];
    const all = this.work.resources(scope);
    const open = openResources(all).filter((r) => all.indexOf(r) >= fromRecord);
    return [...open.map((r) => describeNodeResource(r, all)), ...liveTracked(scope, sinceId).map(describeTracked)];
  }

  /** True while `scope` has a Node resource open or a `track()`ed resource not released, of a kind not in `off`. */
  private hasOpenResources(scope: LeakScope, off: ReadonlySet<string>): boolean {
    return (
      openResources(this.work.resources(scope)).some((r) => !off.has(r.kind)) ||
      liveTracked(scope).some((t) => !off.has(t.resource!.kind))
    );
  }

  /**
   * Gives what `scope` left open (of the kinds not in `off`) a few turns, then at most
   * `RESOURCE_GRACE_MS`, to close by itself. Undefined when nothing is open.
   */
  private resourceGrace(scope: LeakScope, off: ReadonlySet<string> = new Set()): Promise<void> | undefined {
    if (!this.options.resources) return undefined;
    const until = performance.now() + RESOURCE_GRACE_MS;
    return waitWhile((spins) => this.hasOpenResources(scope, off) && (spins < SETTLE_TICKS || performance.now() < until));
  }

  /** Waits for the work checked tests started, whose callbacks may still make buffers. */
  private quiesceLateWork(deadline: number): Promise<void> | undefined {
    return this.settle(
      deadline,
      (spins) => spins < SETTLE_TICKS || this.checked.some((c) => this.work.hasWorkFinishingBy(c.run.scope, deadline)),
    );
  }

  /** Records the outcome for the reporter; returns the error to fail with in `fail` mode. */
  private conclude(outcome: SanitizerOutcome): LeakSanitizerError | undefined {
    if (outcome.verdict === 'leaked' || outcome.optOuts.length > 0) this.write([recordOf(this.fileName(), outcome)]);
    return outcome.verdict === 'leaked' && this.options.mode === 'fail' ? sanitizerError(outcome) : undefined;
  }

  private write(records: LeakRecord[]): void {
    if (this.options.recordsDir === undefined) return;
    try {
      writeRecords(this.options.recordsDir, records);
    } catch (error) {
      // A stale folder (e.g. inherited from another run) must not break the tests themselves.
      if (!this.warnedAboutRecords) {
        this.warnedAboutRecords = true;
        process.stderr.write(`leak-sanitizer: cannot write leak records to ${this.options.recordsDir}: ${(error as Error).message}\n`);
      }
    }
  }

  private fileName(): string {
    if (this.testFile === undefined) {
      const source = this.testFileSource;
      const file = typeof source === 'function' ? source() : source;
      this.testFile = file !== undefined ? relativeFile(file) : '<unknown test file>';
    }
    return this.testFile;
  }
}

/**
 * Turns of the event loop while `busy(spins)` (spins: the turns so far): immediates for the
 * first `SETTLE_TICKS`, then 1 ms sleeps. Undefined, with no promise made, when not busy at first.
 */
function waitWhile(busy: (spins: number) => boolean): Promise<void> | undefined {
  if (!busy(0)) return undefined;
  return (async () => {
    for (let spins = 0; ; ) {
      await (spins < SETTLE_TICKS ? tick() : pause(1));
      if (!busy(++spins)) return;
    }
  })();
}

/** The error a leaked outcome fails its test (or file) with: the whole report, and the first site. */
export function sanitizerError(outcome: LeakedOutcome): LeakSanitizerError {
  return new LeakSanitizerError(formatOutcome(outcome), firstSite(outcome));
}
