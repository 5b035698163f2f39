/**
 * The scenario engine as the runner sees it (scenarios/engine, see the engine contract). The
 * runner only talks to an object of type {@link ScenarioEngine}, so unit tests can inject a fake
 * engine that returns chosen outcomes.
 * @packageDocumentation
 */
import type { LeakLevel } from '../../harness';

import type { ChannelVersion, LoadedScenario, ReplayOutcome, ScenarioLoadError } from '../../scenarios/engine';

export type {
  ChannelVersion,
  ExpectedResult,
  LoadedScenario,
  ObservedResult,
  ReplayOutcome,
  ScenarioKind,
  ScenarioLoadError,
} from '../../scenarios/engine';

/** The engine's entry points the runner uses. */
export interface ScenarioEngine {
  /** Directory of the built-in scenario files. */
  readonly BUILTIN_SCENARIO_DIR: string;
  /** Loads scenario files from files and directories; never throws for bad files. */
  loadScenarios(paths: string[]): { scenarios: LoadedScenario[]; errors: ScenarioLoadError[] };
  /** Replays one scenario against one version in its own ledger scope; never throws. */
  replayScenario(s: LoadedScenario, version: ChannelVersion, options?: { level?: LeakLevel; timeoutMs?: number }): Promise<ReplayOutcome>;
}
