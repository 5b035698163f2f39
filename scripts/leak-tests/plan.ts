/**
 * The plan: which scenario is replayed against which version, in a fixed order (scenarios by kind:
 * bug, baseline, proof, integration, as the spec lists them, then in the loader's order, which is
 * by path; versions fixed, legacy, regression), narrowed by `--filter` and `--channel`. Sharding
 * picks from this order, so it must not depend on anything but the corpus and options.
 * @packageDocumentation
 */
import type { ChannelVersion, LoadedScenario, ScenarioKind } from './engine';
import type { ScenarioRow } from './report';
import { inShard, type Shard } from './shard';
import { versionOrder } from './versions';

/** One scenario×version run of the plan. */
export interface PlannedRun {
  /** Position in the full plan (0-based). */
  index: number;
  scenario: LoadedScenario;
  version: ChannelVersion;
}

/** The selection options that shape the plan. */
export interface PlanOptions {
  channels: readonly ChannelVersion[];
  filters: readonly string[];
  shard?: Shard;
}

/** The plan's rows (every selected scenario), all its runs, and the runs of this shard. */
export interface Plan {
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

/** Builds the plan from loaded scenarios. */
export function buildPlan(scenarios: readonly LoadedScenario[], options: PlanOptions): Plan {
  const rows: ScenarioRow[] = [];
  const allRuns: PlannedRun[] = [];
  // Array.prototype.sort is stable: within a kind, the loader's order stays.
  const ordered = [...scenarios].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  for (const scenario of ordered) {
    if (!matches(scenario.name, options.filters)) continue;
    const versions = [...new Set(scenario.versions)]
      .filter((v) => options.channels.length === 0 || options.channels.includes(v))
      .sort((a, b) => versionOrder(a) - versionOrder(b));
    if (versions.length === 0) continue;
    rows.push({ scenario: scenario.name, kind: scenario.kind, file: scenario.file, versions });
    for (const version of versions) allRuns.push({ index: allRuns.length, scenario, version });
  }
  return { rows, allRuns, runs: allRuns.filter((r) => inShard(r.index, options.shard)) };
}
