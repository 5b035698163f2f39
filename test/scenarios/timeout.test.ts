/**
 * The per-replay time limit: a replay whose step never settles within `--timeout` fails at that
 * step (named by file:line, with the limit), its channel is closed so no timer survives, and the
 * next replay still runs. Nothing here depends on how long anything took, only that it ends.
 */
import * as engine from '../../scenarios/engine';
import { loadScenarios, replayScenario } from '../../scenarios/engine';
import { main } from '../../scripts/leak-tests/main';
import type { ProgressStream } from '../../scripts/leak-tests/progress';
import { withOwnTimers } from './ownTimers';

const DIR = 'test/scenarios/fixtures/stuck';
const STUCK = `${DIR}/a-stuck-check-out.json`;
const AT_LIMIT = `step 1 (getNextChunk) at ${STUCK}:12: did not finish within the replay's time limit of 200 ms (--timeout); the replay stopped at this step`;

describe('the replay time limit', () => {
  it('fails a stuck replay at its step, naming the file:line and the limit; the next replay passes', async () => {
    const { scenarios, errors } = loadScenarios([DIR]);
    expect(errors).toEqual([]);
    const [stuck, after] = scenarios;
    const { result: first, made, pending } = await withOwnTimers(() => replayScenario(stuck!, 'fixed', { timeoutMs: 200 }));
    // The check-out's own timer (2147483647 ms) was cleared by closing the channel: none outlives the replay.
    expect([made >= 2, pending]).toEqual([true, 0]);
    expect(first.passed).toBe(false);
    expect(first.observed.error).toBe(AT_LIMIT);
    // The step after the stuck one (release) never ran: the buffer is left live.
    expect(first.mismatches).toEqual(['leaks: expected 0, observed 1 (10 byte(s))', `error: ${AT_LIMIT}`]);
    const second = await replayScenario(after!, 'fixed', { timeoutMs: 200 });
    expect(second.mismatches).toEqual([]);
    expect(second.passed).toBe(true);
  }, 60_000);

  it('npm run leak-tests -- --timeout 200ms: the stuck run fails at its step, the next one runs and passes, exit 1', async () => {
    let stdout = '';
    const stderr: ProgressStream = { write: () => true };
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr, env: {} };
    const code = await main(['--scenario', DIR, '--timeout', '200ms'], io, async () => engine);
    expect(code).toBe(1);
    expect(stdout).toContain(`FAIL stuck-check-out [fixed] at ${STUCK}:12\n  - leaks: expected 0, observed 1 (10 byte(s))\n  - error: ${AT_LIMIT}\n`);
    expect(stdout).toMatch(/\nruns-after-the-stuck-one +baseline +0\/0 ok\n/);
    expect(stdout.endsWith('\nleak-tests: 1 passed, 1 failed\n')).toBe(true);
  }, 60_000);
});
