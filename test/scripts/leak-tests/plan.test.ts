import { buildPlan, type PlanTarget } from '../../../scripts/leak-tests/plan';
import type { LoadedScenario, Target } from '../../../scripts/leak-tests/engine';
import { formatShard, inShard, parseShard } from '../../../scripts/leak-tests/shard';
import { scenario } from '../fake-engine';

const A = scenario('write-bytebuffer-then-close', ['legacy', 'fixed', 'regression']);
const B = scenario('retaining-write-bytebuffer', ['fixed'], 'baseline');
const C = scenario('write-bytebuf-to-closed-channel', ['regression', 'legacy'], 'baseline');

describe('buildPlan', () => {
  it('lists every scenario×version (bugs first), versions as fixed, legacy, regression', () => {
    const plan = buildPlan([A, B, C], { channels: [], filters: [] });
    expect(plan.allRuns.map((r) => `${r.index} ${r.scenario.name} ${r.version}`)).toEqual([
      '0 write-bytebuffer-then-close fixed',
      '1 write-bytebuffer-then-close legacy',
      '2 write-bytebuffer-then-close regression',
      '3 retaining-write-bytebuffer fixed',
      '4 write-bytebuf-to-closed-channel legacy',
      '5 write-bytebuf-to-closed-channel regression',
    ]);
    expect(plan.runs).toEqual(plan.allRuns);
    expect(plan.rows).toEqual([
      { scenario: A.name, kind: 'bug', file: A.file, versions: ['fixed', 'legacy', 'regression'] },
      { scenario: B.name, kind: 'baseline', file: B.file, versions: ['fixed'] },
      { scenario: C.name, kind: 'baseline', file: C.file, versions: ['legacy', 'regression'] },
    ]);
  });

  it('--channel keeps only those versions and drops scenarios left with none', () => {
    const plan = buildPlan([A, B, C], { channels: ['legacy'], filters: [] });
    expect(plan.allRuns.map((r) => `${r.scenario.name} ${r.version}`)).toEqual([
      'write-bytebuffer-then-close legacy',
      'write-bytebuf-to-closed-channel legacy',
    ]);
    expect(plan.rows.map((r) => r.scenario)).toEqual([A.name, C.name]);
  });

  it('--filter keeps scenarios whose name contains any of the texts', () => {
    const plan = buildPlan([A, B, C], { channels: [], filters: ['retaining', 'closed-channel'] });
    expect(plan.rows.map((r) => r.scenario)).toEqual([B.name, C.name]);
    expect(plan.allRuns.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('--shard i/n takes runs k with k mod n = i-1; the shards partition the plan', () => {
    const one = buildPlan([A, B, C], { channels: [], filters: [], shard: { index: 1, count: 4 } });
    const two = buildPlan([A, B, C], { channels: [], filters: [], shard: { index: 2, count: 4 } });
    const three = buildPlan([A, B, C], { channels: [], filters: [], shard: { index: 3, count: 4 } });
    const four = buildPlan([A, B, C], { channels: [], filters: [], shard: { index: 4, count: 4 } });
    expect(one.runs.map((r) => r.index)).toEqual([0, 4]);
    expect(two.runs.map((r) => r.index)).toEqual([1, 5]);
    expect(three.runs.map((r) => r.index)).toEqual([2]);
    expect(four.runs.map((r) => r.index)).toEqual([3]);
    // Rows and the full plan do not depend on the shard: merged parts rebuild the whole matrix.
    expect(one.rows).toEqual(four.rows);
    expect(one.allRuns.length).toBe(6);
  });
});

describe('buildPlan row order', () => {
  it('groups scenarios by kind (bug, baseline, proof, integration) and keeps the loader order within a kind', () => {
    const i1 = scenario('i1', ['fixed'], 'integration');
    const p1 = scenario('p1', ['fixed'], 'proof');
    const b1 = scenario('b1', ['fixed'], 'baseline');
    const g1 = scenario('g1', ['fixed'], 'bug');
    const b2 = scenario('b2', ['fixed'], 'baseline');
    const g2 = scenario('g2', ['fixed'], 'bug');
    const plan = buildPlan([i1, p1, b1, g1, b2, g2], { channels: [], filters: [] });
    expect(plan.rows.map((r) => r.scenario)).toEqual(['g1', 'g2', 'b1', 'b2', 'p1', 'i1']);
    expect(plan.allRuns.map((r) => `${r.index} ${r.scenario.name}`)).toEqual(['0 g1', '1 g2', '2 b1', '3 b2', '4 p1', '5 i1']);
  });
});

describe('shard', () => {
  it('parses i/n and formats it back', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(' 1/1 ')).toEqual({ index: 1, count: 1 });
    expect(formatShard({ index: 3, count: 7 })).toBe('3/7');
  });

  it('inShard: no shard takes everything', () => {
    expect([0, 1, 2].every((k) => inShard(k, undefined))).toBe(true);
    expect([0, 1, 2, 3, 4].filter((k) => inShard(k, { index: 2, count: 2 }))).toEqual([1, 3]);
  });
});

describe('buildPlan with --target', () => {
  const channelOf = (s: LoadedScenario, channel: LoadedScenario['channel']): LoadedScenario => ({ ...s, channel });
  const bbawcA = channelOf(A, 'bbawc');
  const rawcB = channelOf(B, 'rawc');
  const noneC = channelOf(C, 'none');
  const make = (name: string, channel: 'bbawc' | 'rawc', versions: Record<string, string | undefined>): PlanTarget => {
    const target: Target = {
      name,
      channel,
      versions: Object.fromEntries(Object.entries(versions).map(([v, as]) => [v, { create: () => null as never, ...(as !== undefined ? { expectAs: as } : {}) }])),
    };
    // Every version of the target's interface runs: the engine's targetVersionsFor decides in real runs.
    return { target, versionsFor: (s) => (s.channel === channel ? Object.keys(target.versions) : []) };
  };
  const mine = make('mine', 'bbawc', { main: 'fixed', old: 'legacy' });
  const store = make('store', 'rawc', { v1: undefined });

  it("replaces the built-in versions by each matching target's versions; channel-less scenarios keep theirs; columns follow", () => {
    const plan = buildPlan([bbawcA, rawcB, noneC], { channels: [], filters: [] }, [mine, store]);
    expect(plan.allRuns.map((r) => `${r.scenario.name} ${r.version} ${r.target?.target.name ?? '-'} ${r.target?.version ?? '-'}`)).toEqual([
      'write-bytebuffer-then-close mine:main mine main',
      'write-bytebuffer-then-close mine:old mine old',
      'retaining-write-bytebuffer store:v1 store v1',
      'write-bytebuf-to-closed-channel legacy - -',
      'write-bytebuf-to-closed-channel regression - -',
    ]);
    expect(plan.columns).toEqual(['legacy', 'regression', 'mine:main', 'mine:old', 'store:v1']);
  });

  it('--channel selects target versions by the expectation they are judged by', () => {
    const plan = buildPlan([bbawcA, rawcB], { channels: ['legacy'], filters: [] }, [mine, store]);
    expect(plan.allRuns.map((r) => r.version)).toEqual(['mine:old']);
  });

  it('with --target given but no target loaded, only channel-less scenarios run', () => {
    const plan = buildPlan([bbawcA, rawcB, noneC], { channels: [], filters: [] }, []);
    expect(plan.rows.map((r) => r.scenario)).toEqual([C.name]);
  });
});
