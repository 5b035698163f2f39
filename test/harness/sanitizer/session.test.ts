/**
 * The sanitizer core without a test runner: a session drives runs by hand, as a runner adapter
 * would, and the checks, their waiting, opt-outs, late findings, the message and the records are
 * read from what `finishTest` / `finishFile` return. Each session here is private (not
 * `startSession`), so the jest sanitizer around these tests stays in force; every buffer a test
 * leaks on purpose is released before the test ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ByteBuf, Unpooled } from '../../../harness';
import {
  FILE_HOOKS_LABEL,
  inScope,
  LeakSanitizerError,
  readRecords,
  SanitizerSession,
  unwrapped,
  type SessionInit,
} from '../../../harness/sanitizer';
import { siteOf } from '../support';

const sessions: SanitizerSession[] = [];
const leaked: ByteBuf[] = [];

function session(init: Partial<SessionInit> = {}): SanitizerSession {
  const s = new SanitizerSession({ testFile: __filename, ...init, options: { quiesceMs: 2000, ...init.options } });
  sessions.push(s);
  return s;
}

afterEach(() => {
  for (const b of leaked.splice(0)) if (b.refCnt() > 0) b.release();
  for (const s of sessions.splice(0)) s.close();
});

describe('finishTest', () => {
  test('a buffer left live fails the run, with the message and the site of the line that made it', async () => {
    const s = session();
    const run = s.startTest('block › leaks one');
    let here: Error | undefined;
    inScope(() => {
      const made: [ByteBuf, Error] = [Unpooled.buffer(16), new Error()];
      [leaked[0], here] = made;
    }, run)();
    const { outcome, error } = await s.finishTest(run);
    expect(outcome?.verdict).toBe('leaked');
    expect(outcome?.report.leakCount).toBe(1);
    expect(error).toBeInstanceOf(LeakSanitizerError);
    expect([error!.name, error!.code]).toEqual(['LeakSanitizerError', 'ERR_TEST_LEAKED']);
    const site = siteOf(here!);
    const lines = error!.message.split('\n');
    expect(lines[0]).toBe('Leak sanitizer: this test failed the leak check.');
    expect(lines).toContain('  - 1 heap buffer (16 bytes, owned) was created during the test, but not released.');
    expect(error!.message).toContain(`(${site.file}:${site.line}:`);
    expect(error!.message).toContain("SUMMARY: 1 leak(s), 16 byte(s) in scope 'block › leaks one'");
  });

  test('a buffer released on a later turn of the event loop, after the body returned, is waited for', async () => {
    const s = session();
    const run = s.startTest('releases late');
    inScope(() => {
      const buf = Unpooled.buffer(8);
      setImmediate(() => setImmediate(() => buf.release()));
    }, run)();
    const { outcome, error } = await s.finishTest(run);
    expect([outcome?.verdict, error]).toEqual(['clean', undefined]);
  });

  test('a run that already failed is not checked; report mode returns the outcome without an error', async () => {
    const failing = session();
    const r1 = failing.startTest('failed');
    inScope(() => void leaked.push(Unpooled.buffer(4)), r1)();
    expect(await failing.finishTest(r1, { failed: true })).toEqual({ outcome: undefined, error: undefined });

    const report = session({ options: { mode: 'report' } });
    const r2 = report.startTest('report mode');
    inScope(() => void leaked.push(Unpooled.buffer(4)), r2)();
    const check = await report.finishTest(r2);
    expect([check.outcome?.verdict, check.error]).toEqual(['leaked', undefined]);
  });
});

describe('opt-outs', () => {
  test('an optOut made inside the run applies to it; one made for its block key applies to the tests started with it', async () => {
    const s = session();
    const block = { name: 'the block' };
    s.optOut('block-level', ['leaks'], { kind: 'block', key: block, name: 'the block' });
    const inBlock = s.startTest('in block', { key: 'a', blocks: [block] });
    const own = s.startTest('own opt-out', { key: 'b' });
    inScope(() => void leaked.push(Unpooled.buffer(2)), inBlock)();
    inScope(() => {
      leaked.push(Unpooled.buffer(3));
      s.optOut('test-level', ['leaks', 'timers']);
    }, own)();
    const a = await s.finishTest(inBlock);
    const b = await s.finishTest(own);
    expect(a.outcome?.verdict).toBe('clean');
    expect(a.outcome?.optOuts).toEqual([{ reason: 'block-level', checks: ['leaks'], where: "describe 'the block'" }]);
    expect(a.outcome?.suppressed).toEqual({ leaks: 1, misuses: 0, timers: 0, resources: 0 });
    expect(b.outcome?.optOuts).toEqual([{ reason: 'test-level', checks: ['leaks', 'timers'], where: 'test' }]);
    expect(b.outcome?.suppressed.leaks).toBe(1);
  });

  test('outside every scope the adapter locates the target; in the file scope it is the file', () => {
    const block = { name: 'collected' };
    const s = session({ locate: () => ({ kind: 'block', key: block, name: 'collected' }) });
    expect(s.currentTarget()).toEqual({ kind: 'block', key: block, name: 'collected' });
    expect(inScope(() => s.currentTarget(), s.file)()).toEqual({ kind: 'file' });
    const run = s.startTest('t');
    expect(inScope(() => s.currentTarget(), () => run)()).toEqual({ kind: 'test', run });
  });
});

describe('finishFile', () => {
  test('what the file scope leaked, and what a checked run leaked afterwards, fail the file under their names', async () => {
    const s = session();
    inScope(() => void leaked.push(Unpooled.buffer(5)), s.file)();
    const run = s.startTest('late › leaks after its check');
    inScope(() => {
      setTimeout(() => leaked.push(Unpooled.buffer(7)), 30);
    }, run)();
    s.optOut('the timer is how it leaks late', ['timers'], { kind: 'test', run });
    expect((await s.finishTest(run)).error).toBeUndefined();
    const { outcomes, errors } = await s.finishFile();
    expect(outcomes.map((o) => [o.testName, o.when, o.verdict, o.report.leakBytes])).toEqual([
      [FILE_HOOKS_LABEL, 'file-hooks', 'leaked', 5],
      ['late › leaks after its check', 'after-test', 'leaked', 7],
    ]);
    expect(errors.map((e) => e.message.split('\n')[0])).toEqual([
      "Leak sanitizer: this file's beforeAll/afterAll hooks failed the leak check.",
      "Leak sanitizer: test 'late › leaks after its check' (after it finished) failed the leak check.",
    ]);
    expect(await s.finishFile()).toEqual({ outcomes: [], errors: [] });
  });

  test('records for a reporter: the leaking test, then the file with its count of checked tests', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sanitizer-records-'));
    try {
      const s = session({ options: { recordsDir: dir }, testFile: path.join(process.cwd(), 'some', 'file.test.ts') });
      const run = s.startTest('leaks');
      inScope(() => void leaked.push(Unpooled.buffer(9)), run)();
      await s.finishTest(run);
      await s.finishFile();
      const records = readRecords(dir);
      expect(records.map((r) => (r.type === 'file' ? [r.type, r.file, r.testsChecked] : [r.type, r.file, r.test, r.leaks, r.bytes]))).toEqual([
        ['test', path.join('some', 'file.test.ts'), 'leaks', 1, 9],
        ['file', path.join('some', 'file.test.ts'), 1],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inScope', () => {
  test('keeps this, arguments, return value and length; rewrapping wraps the original; generators are left alone', () => {
    const s = session();
    const run = s.startTest('t');
    function original(this: { k: number }, a: number, b: number): number {
      return this.k + a + b;
    }
    const wrapped = inScope(original, run);
    expect(wrapped.call({ k: 1 }, 2, 3)).toBe(6);
    expect(wrapped.length).toBe(2);
    expect(unwrapped(inScope(wrapped, s.file))).toBe(original);
    function* gen(): Generator<number> {
      yield 1;
    }
    expect(inScope(gen, run)).toBe(gen);
  });
});
