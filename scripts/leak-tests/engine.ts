/**
 * The scenario engine as the runner sees it (scenarios/engine, see the engine contract). The
 * runner only talks to an object of type {@link ScenarioEngine}, so unit tests can inject a fake
 * engine that returns chosen outcomes.
 * @packageDocumentation
 */
import type { LeakLevel } from '../../harness';

import type { LoadedScenario, LoadedTarget, LoadOptions, ReplayOutcome, ScenarioLoadError, StepTypes, Target } from '../../scenarios/engine';

export type {
  ChannelVersion,
  ExpectedResult,
  LoadedScenario,
  ObservedResult,
  ReplayOutcome,
  ScenarioKind,
  ScenarioLoadError,
  LoadedTarget,
  StepTypes,
  Target,
} from '../../scenarios/engine';

/** The engine's entry points the runner uses. */
export interface ScenarioEngine {
  /** Directory of the built-in scenario files. */
  readonly BUILTIN_SCENARIO_DIR: string;
  /** Loads scenario files from files and directories; never throws for bad files. */
  loadScenarios(paths: string[], options?: LoadOptions): { scenarios: LoadedScenario[]; errors: ScenarioLoadError[] };
  /** Replays one scenario against one version (of `target`, or of the project's port) in its own ledger scope; never throws. */
  replayScenario(s: LoadedScenario, version: string, options?: { level?: LeakLevel; timeoutMs?: number; target?: Target; steps?: StepTypes }): Promise<ReplayOutcome>;
  /** Loads `--target` modules: the targets that loaded, and one line per fault (absent in fakes without targets). */
  loadTargets?(specs: readonly string[]): Promise<{ targets: LoadedTarget[]; errors: string[] }>;
  /** The versions of `target` a scenario is replayed against. */
  targetVersionsFor?(s: LoadedScenario, target: Target): string[];
  /** Loads `--steps` modules: their step types, merged, and one line per fault. */
  loadStepTypes?(specs: readonly string[]): Promise<{ steps: StepTypes; errors: string[] }>;
  /**
   * Loads the modules `call` steps name (relative to their scenario files) and checks their
   * exports: the scenarios without a fault, and one load error per fault (absent in fakes).
   */
  checkCallModules?(scenarios: readonly LoadedScenario[]): Promise<{ scenarios: LoadedScenario[]; errors: ScenarioLoadError[] }>;
  /** True when replaying the scenario forces garbage collections (absent in fakes: none does). */
  forcesCollection?(s: LoadedScenario): boolean;
  /** Versions the loaded targets declare, for the scenario files' `expected` keys. */
  declaredVersions?(targets: readonly LoadedTarget[]): string[];
}
