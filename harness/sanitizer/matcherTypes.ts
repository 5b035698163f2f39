/**
 * The leak matchers' signatures, without any runner's module augmentation: the vitest entry types
 * vitest's `Assertion` with them, and must not pull in the jest matcher module's declarations
 * (its `declare module 'expect'` fails to compile where jest's `expect` package is not installed).
 * The implementations are `harness/jest/leakMatchers.ts`'s, which fit jest's and vitest's
 * `expect.extend` alike.
 * @packageDocumentation
 */
import type { LedgerCheckpoint } from '../tracking/LeakScope';

/** Options of `toHaveLeaked`. */
export interface LeakMatcherSiteOptions {
  /** Counts only leaks whose creation site (`fn (file:line:col)`) contains this text or matches this pattern. */
  site?: string | RegExp;
}

/** The leak matchers, returning `R`. */
export interface LeakMatcherSignatures<R> {
  /** The scope (or the ledger's current scope) holds no live buffer and saw no over-release or use after free. */
  toHaveNoLeaks(): R;
  /** Exactly `count` leaks are live in the scope (at matching sites, when `options.site` is given). */
  toHaveLeaked(count: number, options?: LeakMatcherSiteOptions): R;
  /** The buffer's reference count is `expected`. */
  toHaveRefCnt(expected: number): R;
  /** No buffer made since `checkpoint` is still live, and no misuse happened since, in the checkpoint's scope. */
  toHaveNoNewLeaksSince(checkpoint: LedgerCheckpoint): R;
}
