/**
 * A malformed `BYTEBUF_*` variable (harness/tracking/config.ts), through the real commands: one
 * line naming the variable and the values it takes, exit 2, no stack.
 */
import { CHILD_TIMEOUT_MS, runScript } from './cli';

/** Each variable of harness/tracking/config.ts, a bad value, and what the commands must say. */
const MALFORMED: [variable: string, value: string, line: string][] = [
  ['BYTEBUF_LEAK_DETECTION_LEVEL', 'loud', "Expected BYTEBUF_LEAK_DETECTION_LEVEL to be one of disabled, simple, advanced, paranoid, got 'loud'"],
  ['BYTEBUF_LEAK_DETECTION_TARGET_RECORDS', 'x', "Expected BYTEBUF_LEAK_DETECTION_TARGET_RECORDS to be an integer >= 1, got 'x'"],
  ['BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL', '0', "Expected BYTEBUF_LEAK_DETECTION_SAMPLING_INTERVAL to be an integer >= 1, got '0'"],
  ['BYTEBUF_LEAK_DETECTION_SEED', '-1', "Expected BYTEBUF_LEAK_DETECTION_SEED to be an integer >= 0, got '-1'"],
  ['BYTEBUF_LEAK_LEDGER', 'maybe', "Expected BYTEBUF_LEAK_LEDGER to be one of 1, true, 0, false, got 'maybe'"],
  ['BYTEBUF_LEAK_STACK_DEPTH', '1.5', "Expected BYTEBUF_LEAK_STACK_DEPTH to be an integer >= 1, got '1.5'"],
];

describe('a malformed BYTEBUF_* variable', () => {
  it.each(MALFORMED)('leak-tests with %s=%s: one line, exit 2', async (variable, value, line) => {
    const r = await runScript('scripts/leak-tests.ts', [], { env: { [variable]: value } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `leak-tests: ${line}\n` });
  }, CHILD_TIMEOUT_MS);

  const [level, ledger, depth] = [MALFORMED[0]!, MALFORMED[4]!, MALFORMED[5]!];

  it('merge-leak-reports: one line, exit 2', async () => {
    const r = await runScript('scripts/merge-leak-reports.ts', ['part.json'], { env: { [ledger[0]]: ledger[1] } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `merge-leak-reports: ${ledger[2]}\n` });
  }, CHILD_TIMEOUT_MS);

  it('merge-jest-leak-reports: one line, exit 2', async () => {
    const r = await runScript('scripts/merge-jest-leak-reports.ts', ['part.json'], { env: { [level[0]]: level[1] } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `merge-jest-leak-reports: ${level[2]}\n` });
  }, CHILD_TIMEOUT_MS);

  it('bench: one line, exit 2, no section run', async () => {
    const r = await runScript('scripts/bench.ts', ['harness'], { env: { [depth[0]]: depth[1] } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `bench: ${depth[2]}\n` });
  }, CHILD_TIMEOUT_MS);
});
