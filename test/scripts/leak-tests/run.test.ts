import { readFileSync } from 'node:fs';
import { HandleTracker } from '../../../scripts/leak-tests/handles';
import { projectFrameFilter } from '../../../scripts/leak-tests/main';
import { buildPlan } from '../../../scripts/leak-tests/plan';
import { NO_PROGRESS, type Progress } from '../../../scripts/leak-tests/progress';
import { executePlan, type ExecuteOptions } from '../../../scripts/leak-tests/run';
import { fakeEngine, outcome, scenario, type Behaviour } from '../fake-engine';
import { handleMismatch, HANDLE_SCENARIOS, REPLAYS_FILE, replayWithHandles, siteLine, stopAll } from '../fixtures/handles/replays';

const options = (extra: Partial<ExecuteOptions> = {}): ExecuteOptions => ({
  level: 'paranoid',
  progress: NO_PROGRESS,
  tracker: null,
  handleGraceMs: 20,
  frameFilter: projectFrameFilter([]),
  crossCheckWithWhy: false,
  ...extra,
});

describe('executePlan', () => {
  const a = scenario('a-case', ['fixed', 'legacy']);
  const b = scenario('b-case', ['fixed']);

  it('replays every run in plan order and reports progress', async () => {
    const engine = fakeEngine([a, b], async (s, v) => outcome(s, v, 0, v === 'legacy' ? 1 : 0));
    const events: string[] = [];
    const progress: Progress = {
      runStarted: (label, done, total) => events.push(`start ${label} ${done}/${total}`),
      runEnded: (done, total, failed) => events.push(`end ${done}/${total} failed ${failed}`),
      finish: () => events.push('finish'),
    };
    const results = await executePlan(engine, buildPlan([a, b], { channels: [], filters: [] }).runs, options({ progress }));
    expect(engine.replayed).toEqual(['a-case [fixed]', 'a-case [legacy]', 'b-case [fixed]']);
    expect(results.map((r) => [r.index, r.scenario, r.version, r.passed])).toEqual([
      [0, 'a-case', 'fixed', true],
      [1, 'a-case', 'legacy', false],
      [2, 'b-case', 'fixed', true],
    ]);
    expect(events).toEqual([
      'start a-case [fixed] 0/3',
      'end 1/3 failed 0',
      'start a-case [legacy] 1/3',
      'end 2/3 failed 1',
      'start b-case [fixed] 2/3',
      'end 3/3 failed 1',
      'finish',
    ]);
  });

  it('replays the scenarios that force collections first, and still returns the results in plan order', async () => {
    const engine = { ...fakeEngine([a, b], async (s, v) => outcome(s, v, 0, 0)), forcesCollection: (s: { name: string }) => s.name === 'b-case' };
    const replayed: string[] = [];
    const inner = engine.replayScenario;
    engine.replayScenario = async (s, v, o) => {
      replayed.push(`${s.name} [${v}]`);
      return inner(s, v, o);
    };
    const results = await executePlan(engine, buildPlan([a, b], { channels: [], filters: [] }).runs, options());
    expect(replayed).toEqual(['b-case [fixed]', 'a-case [fixed]', 'a-case [legacy]']);
    expect(results.map((r) => [r.index, r.scenario, r.version])).toEqual([
      [0, 'a-case', 'fixed'],
      [1, 'a-case', 'legacy'],
      [2, 'b-case', 'fixed'],
    ]);
  });

  it('an engine that throws (it must not) gives a failed run, and the other runs go on', async () => {
    const engine = fakeEngine([a], async (s, v) => {
      if (v === 'fixed') throw new TypeError('cannot read x of undefined\n    at somewhere');
      return outcome(s, v, 0, 0);
    });
    const results = await executePlan(engine, buildPlan([a], { channels: [], filters: [] }).runs, options());
    expect(results[0]!.passed).toBe(false);
    expect(results[0]!.mismatches).toEqual(['the engine threw: TypeError: cannot read x of undefined']);
    expect(results[0]!.observed.error).toBe('the engine threw: TypeError: cannot read x of undefined');
    expect(results[0]!.report.summary).toBe("0 leak(s), 0 byte(s) in scope 'a-case [fixed]'");
    expect(results[1]!.passed).toBe(true);
  });

  describe('open handles', () => {
    const leaked: NodeJS.Timeout[] = [];
    afterEach(() => leaked.splice(0).forEach((t) => clearTimeout(t)));

    it('a timer left open fails the run that created it, with its creation site', async () => {
      const line = readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('// LEAKED' + '-TIMER')) + 1;
      const engine = fakeEngine([a, b], async (s, v) => {
        if (s.name === 'b-case') leaked.push(setTimeout(() => undefined, 60_000)); // LEAKED-TIMER
        return outcome(s, v, 0, 0);
      });
      const tracker = new HandleTracker<number>(projectFrameFilter([]));
      const results = await executePlan(engine, buildPlan([a, b], { channels: [], filters: [] }).runs, options({ tracker }));
      expect(results.map((r) => r.passed)).toEqual([true, true, false]);
      const failed = results[2]!;
      expect(failed.openHandles).toHaveLength(1);
      expect(failed.openHandles[0]!.type).toBe('Timeout');
      expect(failed.openHandles[0]!.refed).toBe(true);
      expect(failed.openHandles[0]!.createdAt[0]).toMatchObject({ file: 'test/scripts/leak-tests/run.test.ts', line });
      expect(failed.openHandles[0]!.seenBy).toEqual(['process.getActiveResourcesInfo()']);
      expect(failed.mismatches).toEqual([
        expect.stringMatching(new RegExp(`^left a Timeout handle open, created at .* \\(test/scripts/leak-tests/run\\.test\\.ts:${line}:\\d+\\)$`)),
      ]);
    });

    it("an unref'd timer is still an open handle, marked as unref'd", async () => {
      const engine = fakeEngine([b], async (s, v) => {
        leaked.push(setTimeout(() => undefined, 60_000).unref());
        return outcome(s, v, 0, 0);
      });
      const tracker = new HandleTracker<number>(projectFrameFilter([]));
      const [result] = await executePlan(engine, buildPlan([b], { channels: [], filters: [] }).runs, options({ tracker }));
      expect(result!.openHandles.map((h) => [h.type, h.refed, h.seenBy])).toEqual([['Timeout', false, []]]);
      expect(result!.mismatches[0]).toMatch(/^left a Timeout handle open \(unref'd\), created at /);
    });

    it('handles that close within the grace period, and cleared timers, are not open handles', async () => {
      const engine = fakeEngine([b], async (s, v) => {
        setTimeout(() => undefined, 5);
        clearTimeout(setTimeout(() => undefined, 60_000));
        setImmediate(() => undefined);
        return outcome(s, v, 0, 0);
      });
      const tracker = new HandleTracker<number>(projectFrameFilter([]));
      const [result] = await executePlan(engine, buildPlan([b], { channels: [], filters: [] }).runs, options({ tracker, handleGraceMs: 500 }));
      expect(result!.passed).toBe(true);
      expect(result!.openHandles).toEqual([]);
    });

    describe('replays that leave handles the way user code does (test/scripts/fixtures/handles/replays.ts)', () => {
      afterEach(() => stopAll());
      const only = (...names: string[]) => HANDLE_SCENARIOS.filter((s) => names.includes(s.name));
      /** Replays `scenarios` with the fake engine (over the replays by default) and a fresh tracker. */
      const execute = (scenarios: ReturnType<typeof scenario>[], extra: Partial<ExecuteOptions> = {}, behaviour: Behaviour = replayWithHandles) =>
        executePlan(fakeEngine(scenarios, behaviour), buildPlan(scenarios, { channels: [], filters: [] }).runs, {
          ...options({ tracker: new HandleTracker<number>(projectFrameFilter([])), handleGraceMs: 50 }),
          ...extra,
        });

      it('a self-rescheduling setTimeout chain is one open Timeout of the run that started it, at the line that re-arms it', async () => {
        // The next run waits while the chain re-arms: its links are still the first run's.
        const waits = scenario('waits-after', ['fixed'], 'baseline');
        const results = await execute([...only('timeout-chain'), waits], {}, async (s, v) => {
          if (s.name === 'waits-after') await new Promise((resolve) => setTimeout(resolve, 20));
          return replayWithHandles(s, v);
        });
        expect(results.map((r) => [r.scenario, r.passed])).toEqual([['timeout-chain', false], ['waits-after', true]]);
        expect(results[0]!.mismatches).toEqual([expect.stringMatching(handleMismatch('Timeout', 'timeout-chain'))]);
        expect(results[0]!.openHandles.map((h) => [h.type, h.refed, h.createdAt[0]!.file, h.createdAt[0]!.line])).toEqual([['Timeout', true, REPLAYS_FILE, siteLine('timeout-chain')]]);
        expect(results[1]!.openHandles).toEqual([]);
      });

      it('a setImmediate loop is one open Immediate of the run that started it, at the line that queues the next', async () => {
        const [result] = await execute(only('immediate-loop'));
        expect(result!.passed).toBe(false);
        expect(result!.mismatches).toEqual([expect.stringMatching(handleMismatch('Immediate', 'immediate-loop'))]);
        expect(result!.openHandles.map((h) => [h.type, h.refed])).toEqual([['Immediate', true]]);
      });

      it('a server listening on a host name is the open TCPSERVERWRAP, created at the listen call (not a DNS resource)', async () => {
        const [result] = await execute(only('server-on-host'));
        expect(result!.mismatches).toEqual([expect.stringMatching(handleMismatch('TCPSERVERWRAP', 'server-on-host'))]);
        expect(result!.openHandles.map((h) => [h.type, h.refed, h.createdAt[0]!.file, h.createdAt[0]!.line])).toEqual([
          ['TCPSERVERWRAP', true, REPLAYS_FILE, siteLine('server-on-host')],
        ]);
      });

      it('a timer made by `new Function` code is reported at the project line that ran the code', async () => {
        const [result] = await execute(only('new-function-timer'));
        expect(result!.mismatches).toEqual([expect.stringMatching(handleMismatch('Timeout', 'new-function-timer'))]);
      });

      it('timers and immediates that already ran are not open handles, even with no grace period', async () => {
        const [result] = await execute([b], { handleGraceMs: 0 }, async (s, v) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          await new Promise((resolve) => setImmediate(resolve));
          return outcome(s, v, 0, 0);
        });
        expect(result!.mismatches).toEqual([]);
        expect(result!.passed).toBe(true);
      });

      it('timers and immediates that ran after the replay returned are not open handles', async () => {
        // A generous grace: the wait ends as soon as nothing is open, and a loaded machine may be slow to fire them.
        const [result] = await execute(only('handles-that-ran'), { handleGraceMs: 5_000 });
        expect(result!.mismatches).toEqual([]);
        expect(result!.passed).toBe(true);
      });

      it('a timer that was due when the machine stalled past the grace period is not reported (it runs before the verdict)', async () => {
        const [result] = await execute([b], { handleGraceMs: 20 }, async (s, v) => {
          setTimeout(() => undefined, 1);
          // A stall longer than the grace, after the wait for handles began (as a loaded machine makes one).
          setImmediate(() => {
            const until = Date.now() + 60;
            while (Date.now() < until);
          });
          return outcome(s, v, 0, 0);
        });
        expect(result!.mismatches).toEqual([]);
      });

      it("handles made while a replay runs by code the replay did not start are no run's (the verdict counts the replay's own)", async () => {
        let outside: NodeJS.Timeout | undefined;
        // Process code outside the runs: a timer set before them fires while the replay waits (it
        // expires first) and sets a long one.
        const before = setTimeout(() => (outside = setTimeout(() => undefined, 60_000)), 1);
        try {
          const [result] = await execute([b], {}, async (s, v) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            expect(outside).toBeDefined();
            return outcome(s, v, 0, 0);
          });
          expect(result!.mismatches).toEqual([]);
          expect(result!.passed).toBe(true);
        } finally {
          clearTimeout(before);
          clearTimeout(outside);
        }
      });
    });
  });
});
