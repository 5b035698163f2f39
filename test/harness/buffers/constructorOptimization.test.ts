/**
 * The buffer classes' constructors stay optimized (see `UnpooledByteBuf`'s class comment): with no
 * class field anywhere in a buffer's class chain, Node 20's V8 recompiled its constructor without
 * end (201 compiles of `UnpooledHeapByteBuf` in this fixture's run, a cycle 12 to 20 times as
 * dear). A child process makes every kind of buffer under `--trace-opt` and counts the compiles
 * of each function: a few each when all is well. The child writes nothing itself (V8's trace goes
 * through C's buffered stdout, so a line of Node's could land inside one of its lines); it exited
 * 0, or `execFileSync` throws.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** A child tsx process can take tens of seconds on a loaded CI runner. */
const CHILD_TIMEOUT_MS = 60_000;
/** Compiles of one function above which it is recompiling without end (at most 5 seen when well). */
const MAX_COMPILES = 20;

/** How many times V8 compiled each function, from `--trace-opt` lines `[compiling method <JSFunction name (sfi = ...)>`. */
function compilesByFunction(traceOutput: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of traceOutput.matchAll(/^\[compiling method 0x[0-9a-f]+ <JSFunction ([^ >]*) \(sfi/gm)) {
    const name = m[1] === '' ? '(anonymous)' : m[1]!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

test('compilesByFunction counts the compiling lines of each function', () => {
  const trace = [
    '[marking 0x1 <JSFunction a (sfi = 0x2)> for optimization to TURBOFAN, ConcurrencyMode::kSynchronous, reason: hot and stable]',
    '[compiling method 0x1 <JSFunction a (sfi = 0x2)> (target TURBOFAN), mode: ConcurrencyMode::kSynchronous]',
    '[compiling method 0x3 <JSFunction a (sfi = 0x2)> (target TURBOFAN) OSR, mode: ConcurrencyMode::kSynchronous]',
    '[compiling method 0x4 <JSFunction  (sfi = 0x5)> (target TURBOFAN), mode: ConcurrencyMode::kSynchronous]',
  ].join('\n');
  expect([...compilesByFunction(trace)]).toEqual([['a', 2], ['(anonymous)', 1]]);
});

test('making every kind of buffer many times, no function is compiled more than a few times', () => {
  const fixture = path.join(__dirname, 'fixtures', 'make-every-kind.ts');
  const out = execFileSync(process.execPath, ['--single-threaded', '--trace-opt', '--import', 'tsx', fixture, '30000'], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const counts = compilesByFunction(out);
  expect(counts.size).toBeGreaterThan(0);
  const recompiled = [...counts].filter(([, n]) => n > MAX_COMPILES);
  expect(recompiled).toEqual([]);
}, CHILD_TIMEOUT_MS * 2);
