/**
 * Targets in-process: defineTarget's checks, which versions a scenario runs against and by which
 * expectation, and a replay through a user's factory (the CLI side is test/scripts/targets.test.ts).
 */
import {
  BBAWC_PORT,
  defineTarget,
  expectationFor,
  loadScenarios,
  RAWC_PORT,
  replayScenario,
  targetVersionsFor,
  TargetLoadError,
  type Target,
} from '../../scenarios/engine';
import { loadScenarioText } from '../../scenarios/engine/load';
import { SimpleChannel } from './fixtures/targets/simple-channel';

function scenario(expected: string, extraVersions: string[] = []) {
  const text = `{
  "name": "write-resolve", "kind": "baseline", "description": "one ByteBuffer write, resolved", "channel": "bbawc",
  "expected": ${expected},
  "steps": [
    { "step": "allocate", "as": "src", "type": "ByteBuffer", "memory": "direct", "size": 8 },
    { "step": "write", "source": "src", "as": "w" },
    { "step": "getNextChunk", "as": "chunk" },
    { "step": "read", "from": "chunk" },
    { "step": "resolveOldestChunk" },
    { "step": "close" }
  ]
}`;
  const result = loadScenarioText(text, 'inline.json', { versions: extraVersions, steps: {} });
  if ('errors' in result) throw new Error(result.errors.map((e) => `${e.jsonPath}: ${e.message}`).join('\n'));
  return result.scenario;
}

const LEAKY: Target = defineTarget({
  name: 'mine',
  channel: 'bbawc',
  versions: {
    good: { create: ({ listener }) => new SimpleChannel(listener), expectAs: 'fixed' },
    bad: { create: ({ listener }) => new SimpleChannel(listener, { keepResolvedWrappers: true }), expectAs: 'fixed' },
    own: { create: ({ listener }) => new SimpleChannel(listener, { keepResolvedWrappers: true }), expected: { 'write-resolve': { leaks: 1 } } },
  },
});

describe('defineTarget', () => {
  it.each([
    [{ name: 'has space', channel: 'bbawc', versions: {} }, 'name: expected a name of letters, digits, ., _ or -, got "has space"'],
    [{ name: 'x', channel: 'socket', versions: {} }, 'channel: expected "bbawc" or "rawc", got "socket"'],
    [{ name: 'x', channel: 'bbawc', versions: {} }, 'versions: expected an object with at least one version'],
    [{ name: 'x', channel: 'rawc', versions: { v1: { create: 'no' } } }, 'versions.v1.create: expected a function (options) => channel, got string'],
    [{ name: 'x', channel: 'rawc', versions: { v1: { create: () => null, expectAs: 3 } } }, 'versions.v1.expectAs: expected a version name such as "fixed", got 3'],
  ])('rejects a wrong shape naming the field: %j', (definition, message) => {
    const make = (): unknown => defineTarget(definition as never);
    expect(make).toThrow(TargetLoadError);
    expect(make).toThrow(`defineTarget: ${message}`);
    try {
      make();
    } catch (e) {
      expect([(e as TargetLoadError).name, (e as TargetLoadError).code]).toEqual(['TargetLoadError', 'ERR_SCENARIO_TARGET']);
    }
  });
});

describe('targets and expectations', () => {
  it('a version is judged by its expectAs key, else its own expectations, else the key of its own name', () => {
    const s = scenario('{ "fixed": { "leaks": 0 }, "legacy": { "leaks": 1 } }');
    expect(expectationFor(s, LEAKY, 'good')).toEqual({ leaks: 0, overReleases: 0 });
    expect(expectationFor(s, LEAKY, 'own')).toEqual({ leaks: 1, overReleases: 0 });
    expect(targetVersionsFor(s, LEAKY)).toEqual(['good', 'bad', 'own']);
    expect(targetVersionsFor(s, BBAWC_PORT)).toEqual(['legacy', 'fixed']);
    // Another interface: nothing runs.
    const rawc = loadScenarios(['scenarios/cases/baseline/retaining-write-bytebuffer.json']).scenarios[0]!;
    expect(targetVersionsFor(rawc, LEAKY)).toEqual([]);
    expect(targetVersionsFor(rawc, RAWC_PORT)).toEqual(['legacy', 'regression', 'fixed']);
    const ownKey = scenario('{ "own": { "leaks": 5 } }', ['own']);
    expect(targetVersionsFor(ownKey, LEAKY)).toEqual(['own']);
  });

  it('replays through the factory: the flawed version leaks its wrapper at the fixture, the scope names the target', async () => {
    const s = scenario('{ "fixed": { "leaks": 0 } }');
    const good = await replayScenario(s, 'good', { target: LEAKY });
    expect([good.passed, good.target, good.version]).toEqual([true, 'mine', 'good']);
    const bad = await replayScenario(s, 'bad', { target: LEAKY });
    expect(bad.passed).toBe(false);
    expect(bad.mismatches).toEqual(['leaks: expected 0, observed 1 (8 byte(s))']);
    expect(bad.report.summary).toBe("1 leak(s), 8 byte(s) in scope 'write-resolve (mine:bad)'");
    expect(bad.report.groups.map((g) => g.siteFrame?.file)).toEqual(['test/scenarios/fixtures/targets/simple-channel.ts']);
    const own = await replayScenario(s, 'own', { target: LEAKY });
    expect([own.passed, own.expected.leaks, own.observed.leaks]).toEqual([true, 1, 1]);
  });

  it('a factory that returns no channel fails the replay at set-up, naming what is missing', async () => {
    const broken = defineTarget({ name: 'half', channel: 'bbawc', versions: { v: { create: () => ({ write: () => undefined }) as never, expectAs: 'fixed' } } });
    const out = await replayScenario(scenario('{ "fixed": { "leaks": 0 } }'), 'v', { target: broken });
    expect(out.passed).toBe(false);
    expect(out.observed.error).toBe(
      'channel set-up at inline.json: target "half" version "v": create() returned a channel without getNextChunk, getNextByteBuf, resolveOldestChunk, close, isOpen (a bbawc channel needs write, getNextChunk, getNextByteBuf, resolveOldestChunk, close, isOpen)',
    );
  });
});
