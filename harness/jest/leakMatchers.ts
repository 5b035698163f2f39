/**
 * Leak matchers for `expect.extend`, with their TypeScript declarations (for jest's globals and for
 * `@jest/globals`' `expect`). Failure messages carry the harness's grouped report: sites with
 * `xN`, paths with file:line, owned or wrapped memory, and the fix.
 *
 * ```ts
 * expect(scope).toHaveNoLeaks();                 // a LeakScope, or the ledger (its current scope)
 * expect(scope).toHaveLeaked(2, { site: 'wrapAll' });
 * expect(buf).toHaveRefCnt(1);
 * const cp = ledger.checkpoint();  ...;  expect(ledger).toHaveNoNewLeaksSince(cp);
 * ```
 * Buffers exempted with `leakSanitizer.exempt` are not counted as leaks.
 * @packageDocumentation
 */
import { ByteBuf } from '../buffers/ByteBuf';
import { ledger } from '../tracking/LeakDetection';
import { isLeakScope, type LeakScope, type LedgerCheckpoint } from '../tracking/LeakScope';
import type { LeakTracker } from '../tracking/LeakTracker';
import { buildLeakReport, formatLeakReport, type LeakReport } from '../tracking/report';
import { formatFrame, userFrames } from '../tracking/stack';
import { trackerOf, withoutExempt } from '../sanitizer/exemptions';

/** Options of `toHaveLeaked`. */
export interface LeakedOptions {
  /** Counts only leaks whose creation site (`fn (file:line:col)`) contains this text or matches this pattern. */
  site?: string | RegExp;
}

/** The matchers added by `expect.extend(leakMatchers)`. */
export interface LeakMatchers<R> {
  /** The scope (or the ledger's current scope) holds no live buffer and saw no over-release or use after free. */
  toHaveNoLeaks(): R;
  /** Exactly `count` leaks are live in the scope (at matching sites, when `options.site` is given). */
  toHaveLeaked(count: number, options?: LeakedOptions): R;
  /** The buffer's reference count is `expected`. */
  toHaveRefCnt(expected: number): R;
  /** No buffer made since `checkpoint` is still live, and no misuse happened since, in the checkpoint's scope. */
  toHaveNoNewLeaksSince(checkpoint: LedgerCheckpoint): R;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // Same type parameters as @types/jest's declaration, as merging requires.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends LeakMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LeakMatchers<R> {}
}

/** What jest passes as `this` to a matcher (the parts used here). */
interface Context {
  isNot?: boolean;
  utils: {
    matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string;
    matcherErrorMessage(hint: string, generic: string, specific?: string): string;
    printReceived(value: unknown): string;
  };
}

interface Result {
  pass: boolean;
  message: () => string;
}

function scopeOf(ctx: Context, name: string, received: unknown, expected = ''): LeakScope {
  if (isLeakScope(received)) return received;
  if (received === ledger) return ledger.current();
  throw new Error(
    ctx.utils.matcherErrorMessage(
      ctx.utils.matcherHint(name, undefined, expected, { isNot: ctx.isNot }),
      'received value must be a LeakScope or the ledger',
      `Received: ${ctx.utils.printReceived(received)}`,
    ),
  );
}

function checkCount(ctx: Context, name: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(
      ctx.utils.matcherErrorMessage(ctx.utils.matcherHint(name, undefined, what, { isNot: ctx.isNot }), `${what} must be an integer >= 0`, `Got: ${String(value)}`),
    );
  }
  return value;
}

function leaksOf(scope: LeakScope): LeakTracker[] {
  return withoutExempt(scope.live());
}

function reportText(report: LeakReport): string {
  return report.leakCount === 0 && report.misuses.length === 0 ? `SUMMARY: ${report.summary}` : formatLeakReport(report);
}

function describeBuffer(buf: ByteBuf): string {
  const t = trackerOf(buf);
  if (t === null) return `an untracked ${buf.constructor.name}`;
  const lines = [`buffer #${t.id} (${t.kind}, ${t.capacity} bytes)`];
  const created = userFrames(t.createdAt)[0];
  if (created !== undefined) lines.push(`  created at ${formatFrame(created)}`);
  const records = [...(t.records ?? [])].reverse();
  if (records.length > 0) {
    lines.push('  path (newest first):');
    records.forEach((r, i) => {
      const at = userFrames(r.stack)[0];
      lines.push(`    #${i + 1}: ${r.kind}${r.hint !== undefined ? ` "${r.hint}"` : ''} -> refCnt ${r.refCnt}${at !== undefined ? ` at ${formatFrame(at)}` : ''}`);
    });
  }
  return lines.join('\n');
}

/** The matchers; register with `expect.extend(leakMatchers)` (the setup file does). */
export const leakMatchers = {
  toHaveNoLeaks(this: Context, received: unknown): Result {
    const scope = scopeOf(this, 'toHaveNoLeaks', received);
    const report = buildLeakReport(scope, leaksOf(scope), scope.misuses);
    const pass = report.leakCount === 0 && report.misuses.length === 0;
    const hint = this.utils.matcherHint('toHaveNoLeaks', undefined, '', { isNot: this.isNot });
    return {
      pass,
      message: () =>
        pass
          ? `${hint}\n\nExpected scope '${scope.name}' to have leaks or misuses, but it has none.`
          : `${hint}\n\nExpected scope '${scope.name}' to have no leaks and no misuses, got:\n\n${reportText(report)}`,
    };
  },

  toHaveLeaked(this: Context, received: unknown, count: unknown, options: LeakedOptions = {}): Result {
    const scope = scopeOf(this, 'toHaveLeaked', received, 'count');
    const expected = checkCount(this, 'toHaveLeaked', count, 'count');
    const report = buildLeakReport(scope, leaksOf(scope), []);
    const site = options.site;
    const matches = (text: string): boolean => (site === undefined ? true : typeof site === 'string' ? text.includes(site) : site.test(text));
    const actual = report.groups.filter((g) => matches(g.site)).reduce((n, g) => n + g.count, 0);
    const pass = actual === expected;
    const where = site === undefined ? '' : ` at a site matching ${typeof site === 'string' ? `'${site}'` : String(site)}`;
    const hint = this.utils.matcherHint('toHaveLeaked', undefined, 'count', { isNot: this.isNot });
    return {
      pass,
      message: () =>
        `${hint}\n\nExpected ${this.isNot === true ? 'not ' : ''}${expected} leak(s)${where} in scope '${scope.name}', got ${actual}:\n\n${reportText(report)}`,
    };
  },

  toHaveRefCnt(this: Context, received: unknown, expected: unknown): Result {
    const hint = this.utils.matcherHint('toHaveRefCnt', undefined, 'expected', { isNot: this.isNot });
    if (!(received instanceof ByteBuf)) {
      throw new Error(this.utils.matcherErrorMessage(hint, 'received value must be a ByteBuf', `Received: ${this.utils.printReceived(received)}`));
    }
    const want = checkCount(this, 'toHaveRefCnt', expected, 'expected');
    const actual = received.refCnt();
    const pass = actual === want;
    return {
      pass,
      message: () => `${hint}\n\nExpected ${this.isNot === true ? 'not ' : ''}refCnt ${want}, got ${actual}, for ${describeBuffer(received)}`,
    };
  },

  toHaveNoNewLeaksSince(this: Context, received: unknown, checkpoint: LedgerCheckpoint): Result {
    const hint = this.utils.matcherHint('toHaveNoNewLeaksSince', undefined, 'checkpoint', { isNot: this.isNot });
    if (received !== ledger && !isLeakScope(received)) scopeOf(this, 'toHaveNoNewLeaksSince', received, 'checkpoint');
    if (checkpoint === null || typeof checkpoint !== 'object' || !isLeakScope(checkpoint.scope)) {
      throw new Error(this.utils.matcherErrorMessage(hint, 'expected value must be a checkpoint from ledger.checkpoint()', `Got: ${String(checkpoint)}`));
    }
    const scope = checkpoint.scope;
    if (isLeakScope(received) && received !== scope) {
      throw new Error(this.utils.matcherErrorMessage(hint, `received scope '${received.name}' is not the checkpoint's scope '${scope.name}'`));
    }
    const leaks = withoutExempt(ledger.leaksSince(checkpoint));
    const report = buildLeakReport(scope, leaks, scope.misuses.slice(checkpoint.misuseCount));
    const pass = report.leakCount === 0 && report.misuses.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `${hint}\n\nExpected new leaks or misuses in scope '${scope.name}' since the checkpoint, but there are none.`
          : `${hint}\n\nExpected no new leaks and no misuses in scope '${scope.name}' since the checkpoint, got:\n\n${reportText(report)}`,
    };
  },
};
