/**
 * The plan: which scenario is replayed against which version, in a fixed order (scenarios by kind:
 * bug, baseline, proof, integration, as the spec lists them, then in the loader's order, which is
 * by path; versions fixed, legacy, regression), narrowed by `--filter` and `--channel`. Sharding
 * picks from this order, so it must not depend on anything but the corpus and options.
 * @packageDocumentation
 */
import type { LoadedScenario, ScenarioKind, Target } from './engine';
import type { ScenarioRow } from './report';
import { inShard, type Shard } from './shard';
import { CHANNEL_VERSIONS, versionOrder } from './versions';

/** One scenario×version run of the plan. */
export interface PlannedRun {
  /** Position in the full plan (0-based). */
  index: number;
  scenario: LoadedScenario;
  /** The matrix column: a built-in version, or `<target>:<version>`. */
  version: string;
  /** For a `--target`'s run: the target and its version the engine replays. */
  target?: { target: Target; version: string };
}

/** A `--target` as the plan sees it. */
export interface PlanTarget {
  target: Target;
  /** The versions of the target a scenario is replayed against (the engine's `targetVersionsFor`). */
  versionsFor(s: LoadedScenario): string[];
}

/** The selection options that shape the plan. */
export interface PlanOptions {
  /** Built-in versions to keep; for a target's version, the `expected` key it is judged by. */
  channels: readonly string[];
  filters: readonly string[];
  shard?: Shard;
}

/** The plan's rows (every selected scenario), all its runs, and the runs of this shard. */
export interface Plan {
  /** The matrix columns, in order: built-in versions, then each target's versions. */
  columns: string[];
  rows: ScenarioRow[];
  allRuns: PlannedRun[];
  runs: PlannedRun[];
}

/** Rows are grouped by kind in this order. */
const KIND_ORDER: readonly ScenarioKind[] = ['bug', 'baseline', 'proof', 'integration'];

/** True when the scenario's name contains one of the filters (or there are none). */
function matches(name: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => name.includes(f));
}

/** The `expected` key a target's version is judged by (`--channel` selects by it). */
function keyOf(target: Target, version: string): string {
  return target.versions[version]?.expectAs ?? version;
}

/** The runs of one scenario: the built-in versions it lists, or with targets, their versions. */
function runsOf(scenario: LoadedScenario, options: PlanOptions, targets: readonly PlanTarget[] | undefined): Array<Omit<PlannedRun, 'index' | 'scenario'>> {
  const wanted = (key: string): boolean => options.channels.length === 0 || options.channels.includes(key);
  // Without --target, and for scenarios without a channel, the built-in versions run as always.
  if (targets === undefined || scenario.channel === 'none') {
    return [...new Set(scenario.versions)]
      .filter(wanted)
      .sort((a, b) => versionOrder(a) - versionOrder(b))
      .map((version) => ({ version }));
  }
  return targets.flatMap((t) =>
    t.versionsFor(scenario)
      .filter((v) => wanted(keyOf(t.target, v)))
      .map((v) => ({ version: `${t.target.name}:${v}`, target: { target: t.target, version: v } })),
  );
}

/**
 * Builds the plan from loaded scenarios. With `targets` (`--target`; those that loaded, maybe
 * none), the scenarios with a channel run against their versions instead of the built-in ones.
 */
export function buildPlan(scenarios: readonly LoadedScenario[], options: PlanOptions, targets?: readonly PlanTarget[]): Plan {
  const rows: ScenarioRow[] = [];
  const allRuns: PlannedRun[] = [];
  // Array.prototype.sort is stable: within a kind, the loader's order stays.
  const ordered = [...scenarios].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  for (const scenario of ordered) {
    if (!matches(scenario.name, options.filters)) continue;
    const runs = runsOf(scenario, options, targets);
    if (runs.length === 0) continue;
    rows.push({ scenario: scenario.name, kind: scenario.kind, file: scenario.file, versions: runs.map((r) => r.version) });
    for (const run of runs) allRuns.push({ index: allRuns.length, scenario, ...run });
  }
  const all = [...CHANNEL_VERSIONS, ...(targets ?? []).flatMap((t) => Object.keys(t.target.versions).map((v) => `${t.target.name}:${v}`))];
  const columns = all.filter((c) => rows.some((r) => r.versions.includes(c)));
  return { columns, rows, allRuns, runs: allRuns.filter((r) => inShard(r.index, options.shard)) };
}
