/**
 * The runner's `main`: parse the command line, load the scenarios, replay the plan, write the
 * outputs, return the exit code. Everything it touches outside (streams, environment, the engine)
 * comes in as arguments, so tests can drive it in-process with a fake engine.
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type LeakTestsOptions } from './args';
import type { LoadedTarget, ScenarioEngine, StepTypes } from './engine';
import { UsageError } from './errors';
import { ExitCode } from './exit-code';
import { HandleTracker, type ProjectFrameFilter } from './handles';
import { HELP } from './help';
import { buildPlan, type PlanTarget } from './plan';
import { printReport, type CliIo } from './output';
import { createProgress } from './progress';
import { computeTotals, REPORT_FORMAT, REPORT_VERSION, type LeakTestsReport, type TargetInfo } from './report';
import { executePlan } from './run';

/** The project root (scripts/leak-tests/../..). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export type { CliIo } from './output';

/** How long the runner waits for handles to close after the last replay before calling them open. */
export const HANDLE_GRACE_MS = 100;

/** Frames of the project's own code: under the root, but not dependencies or the runner itself. */
export function projectFrameFilter(userPaths: readonly string[]): ProjectFrameFilter {
  return {
    root: PROJECT_ROOT,
    excluded: [path.join(PROJECT_ROOT, 'node_modules'), path.join(PROJECT_ROOT, 'scripts', 'leak-tests'), path.join(PROJECT_ROOT, 'scripts', 'leak-tests.ts')],
    extra: userPaths.map((p) => path.resolve(p)),
  };
}

/** The scenario paths to load: the built-in directory, the user's paths, or both. */
function scenarioPaths(options: LeakTestsOptions, engine: ScenarioEngine): string[] {
  if (options.scenarioPaths.length === 0) return [engine.BUILTIN_SCENARIO_DIR];
  return options.withBuiltin ? [engine.BUILTIN_SCENARIO_DIR, ...options.scenarioPaths] : [...options.scenarioPaths];
}

/** The `--target`s: those that loaded, and a line per fault; none asked: nothing loaded, nothing wrong. */
async function loadTargets(options: LeakTestsOptions, engine: ScenarioEngine): Promise<{ targets: LoadedTarget[]; errors: string[] }> {
  if (options.targets.length === 0) return { targets: [], errors: [] };
  if (engine.loadTargets === undefined) throw new UsageError('Expected an engine that loads targets for `--target`');
  return engine.loadTargets(options.targets);
}

/** The `--steps` modules' step types, and a line per fault; none asked: none. */
async function loadSteps(options: LeakTestsOptions, engine: ScenarioEngine): Promise<{ steps: StepTypes | undefined; errors: string[] }> {
  if (options.steps.length === 0) return { steps: undefined, errors: [] };
  if (engine.loadStepTypes === undefined) throw new UsageError('Expected an engine that loads step types for `--steps`');
  return engine.loadStepTypes(options.steps);
}

/** The loaded targets as the plan needs them. */
function planTargets(targets: readonly LoadedTarget[], engine: ScenarioEngine): PlanTarget[] {
  return targets.map(({ target }) => ({ target, versionsFor: (s) => engine.targetVersionsFor?.(s, target) ?? [] }));
}

/** Runs the leak tests for an already parsed command line. */
export async function runLeakTests(options: LeakTestsOptions, engine: ScenarioEngine, io: CliIo): Promise<ExitCode> {
  const started = Date.now();
  for (const p of options.scenarioPaths) {
    if (!existsSync(p)) throw new UsageError(`Expected \`--scenario\` to name an existing file or directory, got \`${p}\``);
  }
  // Targets and step types first: the scenario files may name the versions and steps they declare.
  const targets = await loadTargets(options, engine);
  const steps = await loadSteps(options, engine);
  const moduleErrors = [...steps.errors, ...targets.errors];
  for (const e of moduleErrors) io.stderr.write(`leak-tests: ${e}\n`);
  const declared = targets.targets.length > 0 ? engine.declaredVersions?.(targets.targets) ?? [] : [];
  const paths = scenarioPaths(options, engine);
  const vocabulary = { ...(declared.length > 0 ? { versions: declared } : {}), ...(steps.steps !== undefined ? { steps: steps.steps } : {}) };
  const parsed = Object.keys(vocabulary).length > 0 ? engine.loadScenarios(paths, vocabulary) : engine.loadScenarios(paths);
  // The modules `call` steps name load now: a missing one is the file's fault, found before anything runs.
  const called = engine.checkCallModules !== undefined ? await engine.checkCallModules(parsed.scenarios) : { scenarios: parsed.scenarios, errors: [] };
  // By file, as the files were read (a file has faults of one kind only: the sort is stable).
  const errors = [...parsed.errors, ...called.errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const loaded = { scenarios: called.scenarios, errors };
  const plan = buildPlan(loaded.scenarios, options, options.targets.length > 0 ? planTargets(targets.targets, engine) : undefined);
  if (plan.allRuns.length === 0 && loaded.errors.length === 0 && moduleErrors.length === 0) {
    const what = options.filters.length > 0 || options.channels.length > 0 ? 'matches the `--filter`/`--channel` selection' : 'was found';
    throw new UsageError(`No scenario run ${what} (scenario files: ${scenarioPaths(options, engine).join(', ')})`);
  }
  // A target's folder: the channel's own files sit beside its module, and their frames are the user's.
  const userPaths = [...options.scenarioPaths, ...options.targets.map((t) => path.dirname(t))];
  const tracker = new HandleTracker<number>(projectFrameFilter(userPaths));
  const results = await executePlan(engine, plan.runs, {
    level: options.level,
    timeoutMs: options.timeoutMs,
    ...(steps.steps !== undefined ? { steps: steps.steps } : {}),
    progress: createProgress(io.stderr),
    tracker,
    handleGraceMs: HANDLE_GRACE_MS,
    frameFilter: projectFrameFilter(userPaths),
    crossCheckWithWhy: true,
  });
  const report: LeakTestsReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    level: options.level,
    versions: plan.columns,
    ...(options.targets.length > 0 ? { targets: targets.targets.map(targetInfo) } : {}),
    ...(options.targets.length > 0 || options.steps.length > 0 ? { targetErrors: moduleErrors } : {}),
    rows: plan.rows,
    shards: options.shard === undefined ? null : [options.shard],
    plannedRuns: plan.allRuns.length,
    totals: computeTotals(results, loaded.errors),
    results,
    loadErrors: loaded.errors,
    durationMs: Date.now() - started,
  };
  // The verdict first; a report file that could not be written is told after it (exit 2).
  return printReport('leak-tests', report, options, io);
}

function targetInfo({ module, target }: LoadedTarget): TargetInfo {
  return { name: target.name, module, channel: target.channel, versions: Object.keys(target.versions) };
}

/**
 * The CLI: `argv` without the node and script paths. Usage errors print one line on stderr and
 * return 2; `loadEngine` is called only when there is something to run.
 */
export async function main(argv: readonly string[], io: CliIo, loadEngine: () => Promise<ScenarioEngine>): Promise<ExitCode> {
  try {
    const parsed = parseArgs(argv, io.env);
    if (parsed.command === 'help') {
      io.stdout.write(HELP);
      return ExitCode.Passed;
    }
    return await runLeakTests(parsed.options, await loadEngine(), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`leak-tests: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
}
