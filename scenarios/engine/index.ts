/**
 * The scenario engine: loads scenario files (JSON, validated against
 * `scenarios/schema/scenario.schema.json`) and replays them against the channels, each replay in
 * its own ledger scope. The format is documented in `scenarios/README.md`.
 *
 * This file is the engine's one public entry (the contract with the runner in `scripts/`).
 * @packageDocumentation
 */
export type {
  ChannelVersion,
  ScenarioKind,
  LoadedScenario,
  ScenarioLoadError,
  ObservedResult,
  ExpectedResult,
  ReplayOutcome,
} from './types';
export { BUILTIN_SCENARIO_DIR, loadScenarios, type LoadOptions } from './load';
export { checkCallModules, type CallableExport } from './callModules';
export { forcesCollection } from './levelNeeds';
export { DEFAULT_REPLAY_TIMEOUT_MS, expectationFor, replayScenario, targetVersionsFor, type ReplayOptions } from './replay';
export {
  defineTarget,
  TargetLoadError,
  type ChannelOf,
  type OwnExpectations,
  type Target,
  type TargetBbawc,
  type TargetChannel,
  type TargetDefinition,
  type TargetOptions,
  type TargetRawc,
  type TargetVersion,
} from './target';
export { declaredVersions, loadTargets, type LoadedTarget } from './loadTargets';
export { BBAWC_PORT, RAWC_PORT } from './targets/ports';
export { defineSteps, StepTypesError, type StepApi, type StepTypeDefinition, type StepTypes } from './userSteps';
export type { VarKind } from './stepSpecs';
export { loadStepTypes } from './loadSteps';
