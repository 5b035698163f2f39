/**
 * bytebuf-leak-harness/mocha: the leak sanitizer as a mocha root-hooks plugin.
 * ```json
 * { "require": ["bytebuf-leak-harness/mocha"] }
 * ```
 * Settings from the environment, as under jest (`BYTEBUF_JEST_SANITIZER`, `BYTEBUF_JEST_QUIESCE_MS`,
 * `BYTEBUF_LEAK_DETECTION_LEVEL`; mode `off` exports no hooks). In tests, import `leakSanitizer`
 * from here for opt-outs and exemptions.
 *
 * How it sits in mocha:
 * - The root `beforeEach` (the plugin's, first of the root hooks) starts the test's run and
 *   replaces `this.currentTest.fn` with a wrapper that runs the original in the test's scope (with
 *   the mocha Context as `this`, so `this.timeout()` and `this.skip()` work; `done`-style tests
 *   stay `done`-style: the wrapper declares the same parameters), then checks and fails THAT test
 *   with the core's error. The check is in the test's function, not in a hook: a failing
 *   `afterEach` hook would make mocha skip the rest of the block. So mocha's `afterEach` hooks run
 *   AFTER the check: release a test's buffers in the test (or a `try/finally`), not in `afterEach`.
 *   While the check waits for the test's pending work, the test's timeout is raised to the quiesce
 *   bound plus a margin.
 * - The root `beforeAll` wraps every suite's hooks: `before`/`after` in the file scope,
 *   `beforeEach`/`afterEach` in the scope of the test they run for.
 * - The root `afterAll` (moved behind the test files' own root `after` hooks) runs the file check:
 *   what `before`/`after` hooks leaked, and what tests' work leaked after their checks.
 *
 * Mocha runs every spec file in one process under one root suite, so the session spans the run
 * (with `--parallel`, each worker's files): "the file" of reports and records is the first spec
 * file that ran, and `leakSanitizer.optOut()` outside a test (a describe body, the top of a file)
 * applies to every test of the run. For a block, opt out in its `beforeEach` instead (that runs in
 * each test's scope).
 * @packageDocumentation
 */
import { endSession, inScope, leakSanitizer, sanitizerOptionsFromEnv, startSession, type RunnerFn, type TestRun } from '../sanitizer';
import { checkTimeoutMs, fileFailure, testNameOf } from '../sanitizer/adapterSupport';
import { ledger } from '../tracking/LeakDetection';

export { leakSanitizer };
export { LeakSanitizerError } from '../sanitizer/errors';

/** The parts of a mocha Runnable (test or hook) the plugin uses. */
interface MochaRunnable {
  fn: RunnerFn | undefined;
  title: string;
  file?: string;
  parent?: MochaSuite;
  titlePath(): string[];
  isPending?(): boolean;
}

/** The parts of a mocha Suite the plugin uses. */
interface MochaSuite {
  root?: boolean;
  suites: MochaSuite[];
  parent?: MochaSuite;
  getHooks(name: 'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach'): MochaRunnable[];
}

/** The mocha Context (`this` of tests and hooks), the parts used here. */
interface MochaContext {
  currentTest?: MochaRunnable;
  test?: MochaRunnable;
  timeout(): number;
  timeout(ms: number): unknown;
}

/** A mocha hook function. */
type MochaHook = (this: MochaContext) => unknown;

/** Mocha's root hooks: exported as `mochaHooks` for `--require`. */
export interface MochaRootHooks {
  beforeAll?: MochaHook[];
  beforeEach?: MochaHook[];
  afterAll?: MochaHook[];
}

const session = startSession({ options: sanitizerOptionsFromEnv(), testFile: () => firstFile });
let firstFile: string | undefined;
/** The run of the test mocha is running (mocha runs one test at a time in a process), kept through its `afterEach` hooks. */
let current: TestRun | undefined;
/** Runs that reached `finishTest` (checked, or not checked because they failed). */
const finished = new WeakSet<TestRun>();

function blocksOf(test: MochaRunnable): MochaSuite[] {
  const blocks: MochaSuite[] = [];
  for (let s = test.parent; s !== undefined && s.root !== true; s = s.parent) blocks.push(s);
  return blocks;
}

/** Makes sure the test's check may wait up to the quiesce bound (0 = no timeout, kept). */
function allowCheckTime(ctx: MochaContext, ms: number): void {
  if (ctx.timeout() > 0) ctx.timeout(ms);
}

/** The test function `original`, run in `run`'s scope, then checked: throws (or passes to `done`) the core's error. */
function checkedTest(original: RunnerFn, run: TestRun): RunnerFn {
  const s = session!;
  const scoped = inScope(original, run);
  const check = async (ctx: MochaContext): Promise<void> => {
    finished.add(run);
    allowCheckTime(ctx, checkTimeoutMs(s.options));
    const { error } = await s.finishTest(run);
    if (error !== undefined) throw error;
  };
  const failed = (): void => {
    finished.add(run);
    void s.finishTest(run, { failed: true });
  };
  if (original.length > 0) {
    // done-style: mocha passes `done` because the wrapper declares a parameter, as the original did.
    return function checkedDoneTest(this: MochaContext, done: (err?: unknown) => void): unknown {
      try {
        return scoped.call(this, (err?: unknown) =>
          // `done` is called from the test's own work: the check (its waiting, mocha's new timeout
          // timer) and the rest of mocha's run must not run in the test's scope.
          ledger.runIn(ledger.root, () => {
            if (err !== undefined && err !== null) {
              failed();
              done(err);
            } else {
              check(this).then(() => done(), done);
            }
          }),
        );
      } catch (error) {
        failed();
        throw error;
      }
    };
  }
  return function checkedTest(this: MochaContext): unknown {
    let result: unknown;
    try {
      result = scoped.call(this);
    } catch (error) {
      failed(); // a failure, or this.skip(): not checked
      throw error;
    }
    return Promise.resolve(result).then(
      () => check(this),
      (error: unknown) => {
        failed();
        throw error;
      },
    );
  };
}

function everySuite(root: MochaSuite): MochaSuite[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...out[i]!.suites);
  return out;
}

function buildHooks(): MochaRootHooks {
  const s = session;
  if (s === undefined) return {};
  const own = new Set<RunnerFn>();
  /** Forgets the last run if it never reached its check (its test was skipped in a hook). */
  const dropUnfinished = (): void => {
    if (current !== undefined && !finished.has(current)) s.dropTest(current);
  };

  const startTest: MochaHook = function startTest() {
    const test = this.currentTest;
    if (test === undefined || test.fn === undefined) return;
    dropUnfinished();
    firstFile ??= test.file;
    const run = s.startTest(testNameOf(test.titlePath()), { key: test, blocks: blocksOf(test) });
    current = run;
    const original = originalOf(test.fn);
    const checked = checkedTest(original, run);
    CHECKED.set(checked, original);
    test.fn = checked;
  };

  const wrapHooks: MochaHook = function wrapHooks() {
    const root = this.test?.parent;
    if (root === undefined) return;
    for (const suite of everySuite(root)) {
      for (const name of ['beforeAll', 'afterAll'] as const) {
        for (const hook of suite.getHooks(name)) if (hook.fn !== undefined && !own.has(hook.fn)) hook.fn = inScope(hook.fn, s.file);
      }
      for (const name of ['beforeEach', 'afterEach'] as const) {
        for (const hook of suite.getHooks(name)) if (hook.fn !== undefined && !own.has(hook.fn)) hook.fn = inScope(hook.fn, () => current);
      }
    }
    // The file check must come after the spec files' own root `after` hooks: mocha runs them in order.
    const afterAll = root.getHooks('afterAll');
    const i = afterAll.findIndex((h) => h.fn === finishFile);
    if (i >= 0) afterAll.push(...afterAll.splice(i, 1));
  };

  const finishFile: MochaHook = async function finishFile() {
    allowCheckTime(this, checkTimeoutMs(s.options));
    dropUnfinished();
    current = undefined;
    const { errors } = await s.finishFile();
    endSession(s);
    const failure = fileFailure(errors);
    if (failure !== undefined) throw failure;
  };

  for (const fn of [startTest, wrapHooks, finishFile]) own.add(fn);
  return { beforeAll: [wrapHooks], beforeEach: [startTest], afterAll: [finishFile] };
}

const CHECKED = new WeakMap<RunnerFn, RunnerFn>();

/** The user's function of a test whose `fn` may already be a checked wrapper (a retry clones the test with it). */
function originalOf(fn: RunnerFn): RunnerFn {
  return CHECKED.get(fn) ?? fn;
}

/** The root hooks mocha installs for `--require bytebuf-leak-harness/mocha` (none in mode `off`). */
export const mochaHooks: MochaRootHooks = buildHooks();
