/**
 * bytebuf-leak-harness/vitest: the leak sanitizer under vitest (3.2 and 4.x), the leak matchers on
 * vitest's `expect`, and their types on vitest's `Assertion`. Configure vitest with two lines:
 * ```ts
 * test: { setupFiles: ['bytebuf-leak-harness/vitest/setup'], reporters: ['default', 'bytebuf-leak-harness/vitest/reporter'] }
 * ```
 * In tests, import `leakSanitizer` from here for opt-outs and exemptions. This module does not
 * import vitest: the setup file passes in what it imported from `vitest` and `vitest/suite`.
 *
 * How it sits in vitest's runner (the same in @vitest/runner 3.2 and 4.1):
 * - A root `beforeEach` (registered by the setup file, before any of the test file's, so it runs
 *   first) starts the test's run and replaces the stored test function (`getFn`/`setFn`): vitest
 *   reads it only after the `beforeEach` hooks, so the whole function, `test.extend` fixtures
 *   included, runs in the test's scope.
 * - The check runs in an `onTestFinished` handler that `beforeEach` registers. vitest calls those
 *   after the `afterEach` hooks, the cleanup functions `beforeEach` hooks return and the fixtures'
 *   teardown, always last-registered-first, so whatever `sequence.hooks` says ('stack', 'list' or
 *   'parallel') the check comes after all of them. A throw there fails that test; the other tests
 *   of the file still run. A test that already failed (or is `test.fails`) is not checked.
 * - A root `beforeAll` wraps every suite's hooks (per-test hooks in the test's scope,
 *   `beforeAll`/`afterAll` in the file's scope) and returns a cleanup function that runs the file
 *   check: vitest calls it after the file's `afterAll` hooks. Under 'stack' (the default) it is the
 *   last of the file's cleanups; under 'list' or 'parallel' cleanups that other root `beforeAll`
 *   hooks return may run after it (or beside it). A throw there fails the file, named by vitest.
 * - Not covered: `aroundEach`/`aroundAll` hooks (vitest 4.1) run outside the test's scope, and
 *   file-scoped fixtures are torn down after the file check.
 * @packageDocumentation
 */
import {
  endSession,
  inScope,
  leakSanitizer,
  startSession,
  type OptOutTarget,
  type RunnerFn,
  type SanitizerOptions,
  type SanitizerSession,
  type ScopeOwner,
} from '../sanitizer';
import { checkTimeoutMs, fileFailure, testNameOf } from '../sanitizer/adapterSupport';
import type { LeakMatcherSignatures } from '../sanitizer/matcherTypes';
import { leakMatchers as jestShapedMatchers } from '../jest/leakMatchers';
// Types only (erased from the JavaScript): makes 'vitest' known to the compiler for the augmentation below.
import type {} from 'vitest';

export { leakSanitizer };
export type { LeakMatcherSignatures, LeakMatcherSiteOptions } from '../sanitizer/matcherTypes';
export { LeakSanitizerError } from '../sanitizer/errors';
export { sanitizerOptionsFromEnv, SANITIZER_ENV, type SanitizerOptions, type SanitizerMode, type SanitizerCheck } from '../sanitizer/options';

declare module 'vitest' {
  // Same type parameters as vitest's own declarations, as merging requires.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Assertion<T = any> extends LeakMatcherSignatures<void> {}
  interface AsymmetricMatchersContaining extends LeakMatcherSignatures<unknown> {}
}

/** A vitest task (test or suite), with the fields the adapter reads. */
export interface VitestTask {
  readonly name: string;
  readonly type: string;
  readonly suite?: VitestTask;
  readonly filepath?: string;
  readonly fails?: boolean;
  readonly tasks?: readonly VitestTask[];
  readonly result?: { readonly state?: string; readonly pending?: boolean };
}

/** A hook function as vitest stores it. */
type HookFn = RunnerFn;

/** The hooks vitest keeps per suite (`getHooks`): live arrays that its runner reads. */
export interface VitestSuiteHooks {
  beforeAll: HookFn[];
  afterAll: HookFn[];
  beforeEach: HookFn[];
  afterEach: HookFn[];
}

/** What the setup file passes in from `vitest` and `vitest/suite`. */
export interface VitestApi {
  beforeAll(fn: (suite: any) => unknown, timeout?: number): void;
  beforeEach(fn: (context: any) => unknown, timeout?: number): void;
  expect: { extend(matchers: any): void; getState(): { testPath?: string } };
  getFn(task: any): (() => unknown) | undefined;
  setFn(task: any, fn: () => unknown): void;
  getHooks(suite: any): VitestSuiteHooks;
  getCurrentSuite(): any;
}

/** The context vitest passes to `beforeEach` (the parts used here). */
interface VitestTestContext {
  readonly task: VitestTask;
  onTestFinished(fn: () => unknown, timeout?: number): void;
}

/** What the jest-shaped matchers read from `this` beyond what vitest's matcher state has. */
interface MatcherUtils {
  matcherErrorMessage?: (hint: string, generic: string, specific?: string) => string;
}

/** jest's wording for a matcher used wrongly; vitest's `this.utils` has no `matcherErrorMessage`. */
function matcherErrorMessage(hint: string, generic: string, specific?: string): string {
  return `${hint}\n\nMatcher error: ${generic}${specific !== undefined ? `\n\n${specific}` : ''}`;
}

/** The leak matchers for vitest's `expect.extend`: jest's, with `this.utils` completed. */
export const vitestLeakMatchers: Record<keyof LeakMatcherSignatures<void>, (this: any, received: unknown, ...expected: any[]) => any> =
  Object.fromEntries(
    Object.entries(jestShapedMatchers).map(([name, matcher]) => [
      name,
      function vitestMatcher(this: { utils: MatcherUtils }, ...args: unknown[]): unknown {
        const utils = this.utils.matcherErrorMessage !== undefined ? this.utils : { ...this.utils, matcherErrorMessage };
        return (matcher as RunnerFn).apply(Object.assign(Object.create(this) as object, { utils }), args);
      },
    ]),
  ) as Record<keyof LeakMatcherSignatures<void>, (this: any, received: unknown, ...expected: any[]) => any>;

/** The suites a task is declared in, innermost first, without the file. */
function blocksOf(task: VitestTask): VitestTask[] {
  const blocks: VitestTask[] = [];
  for (let s = task.suite; s !== undefined && s.filepath === undefined; s = s.suite) blocks.push(s);
  return blocks;
}

/** `outer › inner › test`. */
function fullName(task: VitestTask): string {
  return testNameOf([...blocksOf(task).reverse().map((b) => b.name), task.name]);
}

/** Every suite of a file, the file first. */
function suitesOf(file: VitestTask): VitestTask[] {
  const out: VitestTask[] = [];
  const visit = (s: VitestTask): void => {
    out.push(s);
    for (const t of s.tasks ?? []) if (t.type === 'suite') visit(t);
  };
  visit(file);
  return out;
}

/** `wrapper` with the extra properties vitest put on `hook` (its cleanup timeout, for one). */
function withHookProperties(wrapper: HookFn, hook: HookFn): HookFn {
  for (const key of Reflect.ownKeys(hook)) {
    if (key === 'length' || key === 'name' || key === 'prototype' || Object.prototype.hasOwnProperty.call(wrapper, key)) continue;
    Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(hook, key)!);
  }
  return wrapper;
}

/** A cleanup function a hook returned (directly or through its promise), made to run in `owner`'s scope. */
function scopedCleanup(result: unknown, owner: ScopeOwner | undefined): unknown {
  if (owner === undefined) return result;
  if (typeof result === 'function') return inScope(result as RunnerFn, owner);
  if (result instanceof Promise) return result.then((r: unknown) => (typeof r === 'function' ? inScope(r as RunnerFn, owner) : r));
  return result;
}

/**
 * Installs the sanitizer in the current test file (the setup file does this with options from the
 * environment). Switches the exact ledger on at `options.level`, and registers the leak matchers
 * on `api.expect` (also in mode `off`, where nothing else is installed).
 */
export function installVitestSanitizer(api: VitestApi, options: Partial<SanitizerOptions> = {}): void {
  api.expect.extend(vitestLeakMatchers);
  let collecting = true;
  let fileTask: VitestTask | undefined;
  const session: SanitizerSession | undefined = startSession({
    options,
    testFile: () => fileTask?.filepath ?? api.expect.getState().testPath,
    locate: (): OptOutTarget | undefined => {
      // A describe body being collected: vitest's collector of that block holds its suite task.
      const block = collecting ? (api.getCurrentSuite() as { suite?: VitestTask } | undefined)?.suite : undefined;
      return block !== undefined ? { kind: 'block', key: block, name: block.name } : undefined;
    },
  });
  if (session === undefined) return;
  const timeout = checkTimeoutMs(session.options);
  const open = new Set<VitestTask>();

  const dropSkipped = (): void => {
    for (const task of open) {
      if (task.result?.state !== 'skip' && task.result?.pending !== true) continue;
      open.delete(task);
      const run = session.runOf(task);
      if (run !== undefined) session.dropTest(run);
    }
  };

  const perTestHook = (hook: HookFn): HookFn =>
    withHookProperties(function perTest(this: unknown, context: { task?: VitestTask } | undefined, ...rest: unknown[]): unknown {
      const run = context?.task !== undefined ? session.runOf(context.task) : undefined;
      const result = run !== undefined ? inScope(hook, run).call(this, context, ...rest) : hook.call(this, context, ...rest);
      return scopedCleanup(result, run);
    }, hook);

  const fileHook = (hook: HookFn): HookFn =>
    withHookProperties(function fileScoped(this: unknown, ...args: unknown[]): unknown {
      return scopedCleanup(inScope(hook, session.file).apply(this, args), session.file);
    }, hook);

  // Wraps every hook in place (vitest reads the arrays as it goes). The adapter's own two hooks are
  // wrapped too, harmlessly: the `beforeAll` is running already, and the `beforeEach` finds no run
  // open for its test (it opens it), so it runs as it is.
  const wrapHooks = (file: VitestTask): void => {
    for (const suite of suitesOf(file)) {
      const hooks = api.getHooks(suite);
      const wrap = (list: HookFn[], how: (h: HookFn) => HookFn): void => {
        for (let i = 0; i < list.length; i++) list[i] = how(list[i]!);
      };
      wrap(hooks.beforeEach, perTestHook);
      wrap(hooks.afterEach, perTestHook);
      wrap(hooks.beforeAll, fileHook);
      wrap(hooks.afterAll, fileHook);
    }
  };

  const finishFile = async (): Promise<void> => {
    dropSkipped();
    for (const task of open) {
      const run = session.runOf(task);
      if (run !== undefined) session.dropTest(run);
    }
    open.clear();
    const { errors } = await session.finishFile();
    endSession(session);
    const failure = fileFailure(errors);
    if (failure !== undefined) throw failure;
  };

  // vitest 4.1 parses a hook's first parameter for fixtures (it must be a destructuring pattern)
  // and passes the suite last; vitest 3 passes the suite first. No declared parameters suit both.
  const beforeAllHook = function beforeAllHook(): () => Promise<void> {
    // eslint-disable-next-line prefer-rest-params
    const file = arguments[arguments.length - 1] as VitestTask;
    collecting = false;
    fileTask = file;
    wrapHooks(file);
    return finishFile;
  };

  const beforeEachHook = function beforeEachHook(): void {
    // eslint-disable-next-line prefer-rest-params
    const context = arguments[0] as VitestTestContext;
    const task = context.task;
    dropSkipped();
    const run = session.startTest(fullName(task), { key: task, blocks: blocksOf(task) });
    open.add(task);
    const fn = api.getFn(task);
    if (fn !== undefined) api.setFn(task, inScope(fn, () => session.runOf(task)));
    context.onTestFinished(async () => {
      open.delete(task);
      if (session.runOf(task) !== run) return;
      if (task.result?.state === 'skip' || task.result?.pending === true) {
        session.dropTest(run);
        return;
      }
      const { error } = await session.finishTest(run, { failed: task.result?.state === 'fail' || task.fails === true });
      if (error !== undefined) throw error;
    }, timeout);
  };

  api.beforeAll(beforeAllHook, timeout);
  api.beforeEach(beforeEachHook, timeout);
}
