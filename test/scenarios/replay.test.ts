/**
 * The replay engine on small scenarios written for the purpose: expectation mismatches,
 * failed checks, unexpected errors, `throws`, stalls, acknowledgements, hints, settings.
 */
import { LeakDetection } from '../../harness';
import { loadScenarios, replayScenario, type LoadedScenario } from '../../scenarios/engine';
import { loadScenarioText } from '../../scenarios/engine/load';
import { compareResult } from '../../scenarios/engine/compare';
import type { WriteRecord } from '../../scenarios/engine/context';
import type { WriteFuture } from '../../channel';
import { withOwnTimers } from './ownTimers';

/** A scenario from its steps (one per line, starting at line 5 of the text). */
function scenario(steps: string[], options: { channel?: string; expected?: string; name?: string } = {}): LoadedScenario {
  const text = [
    '{',
    `  "name": "${options.name ?? 'inline'}", "kind": "baseline", "description": "inline test scenario", "channel": "${options.channel ?? 'bbawc'}",`,
    `  "expected": ${options.expected ?? '{ "legacy": { "leaks": 0 }, "regression": { "leaks": 0 }, "fixed": { "leaks": 0 } }'},`,
    '  "steps": [',
    steps.map((s) => `    ${s}`).join(',\n'),
    '  ]',
    '}',
  ].join('\n');
  const result = loadScenarioText(text, 'inline.json');
  if ('errors' in result) throw new Error(result.errors.map((e) => `${e.jsonPath}: ${e.message}`).join('\n'));
  return result.scenario;
}

describe('replayScenario', () => {
  it('fails a scenario whose expectation is wrong, naming expected and observed', async () => {
    const { scenarios, errors } = loadScenarios(['test/scenarios/fixtures/user']);
    expect(errors).toEqual([]);
    const wrong = scenarios.find((s) => s.name === 'user-wrong-expectation')!;
    const legacy = await replayScenario(wrong, 'legacy');
    expect(legacy.passed).toBe(false);
    expect(legacy.expected).toEqual({ leaks: 0, overReleases: 0 });
    expect(legacy.observed.leaks).toBe(1);
    expect(legacy.mismatches).toEqual(['leaks: expected 0, observed 1 (100 byte(s))']);
    expect(legacy.report.summary).toBe("1 leak(s), 100 byte(s) in scope 'user-wrong-expectation (legacy)'");
    const fixed = await replayScenario(wrong, 'fixed');
    expect(fixed.passed).toBe(true);
    expect(fixed.mismatches).toEqual([]);
  });

  it('replays a user directory (recursively) against the versions each file lists', async () => {
    const { scenarios } = loadScenarios(['test/scenarios/fixtures/user']);
    expect(scenarios.map((s) => [s.file, s.versions])).toEqual([
      ['test/scenarios/fixtures/user/leaky-wrapper.json', ['legacy', 'fixed']],
      ['test/scenarios/fixtures/user/nested/wrong-expectation.json', ['legacy', 'fixed']],
    ]);
    // A file named again, directly or through its directory, is loaded once.
    expect(loadScenarios(['test/scenarios/fixtures/user', 'test/scenarios/fixtures/user/leaky-wrapper.json']).scenarios).toHaveLength(2);
    const leaky = scenarios[0]!;
    expect(leaky.stepLines).toEqual([12, 13, 14, 15, 16, 17, 18]);
    for (const v of leaky.versions) expect((await replayScenario(leaky, v)).passed).toBe(true);
  });

  it('records a failed check with the step, its location, what was expected and what was seen, and goes on', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "bytes": [1, 2, 4] }',
      '{ "step": "write", "source": "buf", "as": "w" }',
      '{ "step": "getNextByteBuf", "as": "got" }',
      '{ "step": "read", "from": "got" }',
      '{ "step": "resolveOldestChunk" }',
      '{ "step": "expectCallback", "write": "w", "bytes": 99, "error": "ClosedChannelException" }',
      '{ "step": "expectFuture", "write": "w", "result": 3, "error": null }',
      '{ "step": "expectBytes", "of": "buf", "bytes": [1, 2, 3] }',
      '{ "step": "expectRefCnt", "of": "buf", "equals": 2 }',
      '{ "step": "release", "of": "buf" }',
    ]);
    const o = await replayScenario(s, 'fixed');
    expect(o.passed).toBe(false);
    expect(o.observed.failedExpectations).toEqual([
      'step 5 (expectCallback) at inline.json:10: expected the callback of write "w" to get bytes 99, got 3',
      'step 5 (expectCallback) at inline.json:10: expected the error the callback of write "w" got to be a ClosedChannelException, got null (no error)',
      'step 7 (expectBytes) at inline.json:12: expected "buf" to hold 3 byte(s) equal to the given bytes, got 0 byte(s)',
      'step 8 (expectRefCnt) at inline.json:13: expected "buf".refCnt() to be 2, got 1',
    ]);
    expect(o.mismatches).toEqual(o.observed.failedExpectations);
    expect(o.observed.leaks).toBe(0);
  });

  it('compares bytes and names the first difference', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "bytes": [1, 2, 4] }',
      '{ "step": "expectBytes", "of": "buf", "bytes": [1, 2, 3] }',
      '{ "step": "release", "of": "buf" }',
    ], { channel: 'none' });
    const o = await replayScenario(s, 'fixed');
    expect(o.observed.failedExpectations).toEqual([
      'step 1 (expectBytes) at inline.json:6: expected "buf" to hold 3 byte(s) equal to the given bytes, got a difference at index 2: 0x04 instead of 0x03',
    ]);
  });

  it('stops at an unexpected error, skips the rest, and still counts the leaks and the misuse', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "kept", "type": "ByteBuf", "size": 10 }',
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10 }',
      '{ "step": "release", "of": "buf" }',
      '{ "step": "release", "of": "buf" }',
      '{ "step": "expectRefCnt", "of": "kept", "equals": 7 }',
    ], { channel: 'none' });
    const o = await replayScenario(s, 'fixed');
    expect(o.observed.error).toBe('step 3 (release) at inline.json:8: threw IllegalReferenceCountException: refCnt: 0, decrement: 1');
    expect(o.observed.failedExpectations).toEqual([]);
    expect(o.observed.leaks).toBe(1);
    expect(o.observed.overReleases).toBe(1);
    expect(o.mismatches).toEqual([
      'leaks: expected 0, observed 1 (10 byte(s))',
      'over-releases: expected 0, observed 1',
      'error: step 3 (release) at inline.json:8: threw IllegalReferenceCountException: refCnt: 0, decrement: 1',
    ]);
  });

  it('accepts an error a step must throw, and fails one that does not throw it', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10 }',
      '{ "step": "release", "of": "buf" }',
      '{ "step": "release", "of": "buf", "throws": "IllegalReferenceCountException" }',
      '{ "step": "expectRefCnt", "of": "buf", "equals": 0, "throws": "IllegalStateException" }',
      '{ "step": "retain", "of": "buf", "throws": "IllegalStateException" }',
    ], { channel: 'none', expected: '{ "fixed": { "leaks": 0, "overReleases": 2 } }' });
    const o = await replayScenario(s, 'fixed');
    expect(o.observed.overReleases).toBe(2);
    expect(o.observed.failedExpectations).toEqual([
      'step 3 (expectRefCnt) at inline.json:8: expected the step to throw IllegalStateException, but it did not',
      'step 4 (retain) at inline.json:9: expected the step to throw IllegalStateException, but it threw IllegalReferenceCountException: refCnt: 0, increment: 1',
    ]);
    expect(o.observed.error).toBeUndefined();
  });

  it('fails a check-out without a timeout that could only wait forever, at once', async () => {
    const s = scenario(['{ "step": "getNextChunk", "as": "chunk" }', '{ "step": "close" }']);
    const o = await replayScenario(s, 'fixed');
    // "At once": had it waited, the replay would run into its 60 s limit, past this test's timeout.
    expect(o.observed.error).toBe('step 0 (getNextChunk) at inline.json:5: getNextChunk() with no timeout would wait forever: nothing is queued and no later step can run while it waits; give "timeoutMs" (0 polls)');
  });

  it('leaves no timer behind after a check-out with a timeout', async () => {
    const s = scenario([
      '{ "step": "getNextChunk", "as": "chunk", "timeoutMs": 5 }',
      '{ "step": "expectNull", "of": "chunk" }',
      '{ "step": "getNextByteBuf", "as": "buf", "timeoutMs": 0 }',
      '{ "step": "expectNull", "of": "buf" }',
    ]);
    // The replay's own timers, not the process's (another file's timer must not count).
    const { result: o, made, pending } = await withOwnTimers(() => replayScenario(s, 'fixed'));
    expect(o.passed).toBe(true);
    expect(made).toBeGreaterThanOrEqual(1); // the 5 ms check-out armed one
    expect(pending).toBe(0);
  });

  it('counts a write that is never acknowledged', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10 }',
      '{ "step": "write", "source": "buf", "as": "w" }',
      '{ "step": "release", "of": "buf" }',
    ]);
    const o = await replayScenario(s, 'fixed');
    expect(o.observed.unacknowledgedWrites).toBe(1);
    expect(o.mismatches).toEqual(['write "w" of step 1 (write) at inline.json:6 was never acknowledged']);
  });

  it('counts a write acknowledged twice', () => {
    const future = { isDone: () => true } as unknown as WriteFuture;
    const twice: WriteRecord = {
      name: 'w', stepIndex: 1, label: 'step 1 (write) at x.json:6', mode: 'record', future, callbackErrors: [],
      calls: [{ bytes: 10, error: null }, { bytes: 10, error: null }],
    };
    const observed = { leaks: 0, leakBytes: 0, overReleases: 0, unacknowledgedWrites: 0, doubleAcknowledgedWrites: 1, failedExpectations: [] };
    expect(compareResult({ leaks: 0, overReleases: 0 }, observed, [twice])).toEqual({
      passed: false,
      mismatches: ['write "w" of step 1 (write) at x.json:6 was acknowledged 2 times'],
    });
  });

  it('annotates every buffer a step makes, and every ByteBuf it uses, with the step', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10 }',
      '{ "step": "retain", "of": "buf" }',
      '{ "step": "release", "of": "buf" }',
    ], { channel: 'none' });
    const o = await replayScenario(s, 'fixed');
    expect(o.observed.leaks).toBe(1);
    const leaked = o.report.groups[0]!.buffers[0]!;
    expect(leaked.records.filter((r) => r.kind === 'touch').map((r) => r.hint)).toEqual([
      'step 2 release (inline.json:7)',
      'step 1 retain (inline.json:6)',
      'step 0 allocate (inline.json:5)',
    ]);
    expect(o.report.groups[0]!.siteFrame?.file).toBe('scenarios/engine/steps/buffers.ts');
  });

  it('reports a stream left unread and unclosed as a leak', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10, "comment": "released by the callback" }',
      '{ "step": "write", "source": "buf", "as": "w", "callback": "releaseSource" }',
      '{ "step": "consume", "as": "stream", "mode": "asStream" }',
    ], { channel: 'rawc', expected: '{ "fixed": { "leaks": 1 } }' });
    const o = await replayScenario(s, 'fixed');
    expect(o.passed).toBe(true);
    expect(o.report.groups[0]!.buffers[0]!.kind).toBe('composite');
  });

  it('restores the leak-detection settings, and honours the level option', async () => {
    const before = LeakDetection.settings();
    const s = scenario([
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10 }',
    ], { channel: 'none', expected: '{ "fixed": { "leaks": 1 } }' });
    const paranoid = await replayScenario(s, 'fixed');
    expect(paranoid.report.stacksCaptured).toBe(true);
    const disabled = await replayScenario(s, 'fixed', { level: 'disabled' });
    expect(disabled.passed).toBe(true);
    expect(disabled.report.stacksCaptured).toBe(false);
    expect(LeakDetection.settings()).toEqual(before);
  });

  it('does not replay a version the file does not list, and says so', async () => {
    const s = scenario(['{ "step": "close" }'], { expected: '{ "fixed": { "leaks": 0 } }' });
    const o = await replayScenario(s, 'legacy');
    expect(o.passed).toBe(false);
    expect(o.observed.error).toBe('scenario "inline" is not replayed against "legacy": its "expected" block lists fixed');
  });

  it('runs version-limited steps only on their versions, and repeated steps once per {n}', async () => {
    const s = scenario([
      '{ "step": "allocate", "as": "b{n}", "type": "ByteBuf", "size": 1, "repeat": 3 }',
      '{ "step": "release", "of": "b{n}", "repeat": 2 }',
      '{ "step": "release", "of": "b3", "versions": ["fixed"] }',
    ], { channel: 'none', expected: '{ "legacy": { "leaks": 1 }, "fixed": { "leaks": 0 } }' });
    expect((await replayScenario(s, 'legacy')).passed).toBe(true);
    expect((await replayScenario(s, 'fixed')).passed).toBe(true);
  });
});

describe('check-outs that do not wait', () => {
  it('get their value when a later write delivers it, and fail a step that uses them before', async () => {
    const s = scenario([
      '{ "step": "getNextByteBuf", "as": "later", "wait": false }',
      '{ "step": "allocate", "as": "buf", "type": "ByteBuf", "size": 10 }',
      '{ "step": "write", "source": "buf", "as": "w" }',
      '{ "step": "expectSame", "of": "later", "sameAs": "buf" }',
      '{ "step": "resolveOldestChunk" }',
      '{ "step": "expectCallback", "write": "w", "bytes": 0, "error": null }',
      '{ "step": "release", "of": "buf" }',
      '{ "step": "getNextChunk", "as": "closed", "wait": false }',
      '{ "step": "close" }',
      '{ "step": "expectNull", "of": "closed" }',
      '{ "step": "getNextChunk", "as": "never", "wait": false, "timeoutMs": 0 }',
      '{ "step": "expectNull", "of": "never" }',
    ]);
    const o = await replayScenario(s, 'fixed');
    expect(o.mismatches).toEqual([]);
  });

  it('fail a step that uses their variable before it is settled', async () => {
    const s = scenario([
      '{ "step": "getNextChunk", "as": "later", "wait": false }',
      '{ "step": "expectNull", "of": "later" }',
      '{ "step": "close" }',
    ]);
    const o = await replayScenario(s, 'fixed');
    expect(o.observed.error).toBe('step 1 (expectNull) at inline.json:6: variable "later" has no value yet: its check-out (step 0, "wait": false) is still pending');
  });
});
