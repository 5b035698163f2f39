/**
 * Loads scenario files: finds `.json` files under the given paths, parses them with positions,
 * validates them against the published schema, then checks their semantics. A bad file becomes a
 * `ScenarioLoadError` (file, JSON path, line, what was expected); loading goes on with the others.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findScenarioFiles, notRegularFileMessage } from './files';
import { allocationFault, MAX_SCENARIO_FILE_BYTES, showBytes } from './limits';
import { JsonLimitError, JsonSyntaxError, parseJsonWithPositions, positionOf, type PositionedJson } from './lines';
import { validateAgainstSchema, type SchemaFault } from './schema';
import { PACKAGE_ROOT } from './packageRoot';
import { checkSemantics } from './semantics';
import type { StepTypes } from './userSteps';
import type { ScenarioData } from './data';
import { CHANNEL_VERSIONS, type LoadedScenario, type ScenarioLoadError } from './types';

/** Directory of the built-in scenario files (`scenarios/cases` of the package, from the sources or dist alike). */
export const BUILTIN_SCENARIO_DIR: string = path.join(PACKAGE_ROOT, 'scenarios', 'cases');

/** `file` relative to the working directory when it lies inside it. */
function displayPath(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/** The files `paths` stand for (directories searched), or an error per path that cannot be used. */
function findFiles(paths: string[]): { files: string[]; errors: ScenarioLoadError[] } {
  const { files, faults } = findScenarioFiles(paths);
  return { files, errors: faults.map((f) => ({ file: displayPath(f.file), jsonPath: '$', message: f.message })) };
}

/** How to load scenario files. */
export interface LoadOptions {
  /**
   * Versions the loaded targets declare (their version names and `expectAs` keys): accepted as
   * keys of `expected` beside the built-in three. Load the targets first.
   */
  versions?: readonly string[];
  /** Step types of the user's (`--steps`), accepted and checked beside the built-in ones. */
  steps?: StepTypes;
}

/** What a file may use beyond the published schema: the targets' versions, the user's step types. */
export interface Vocabulary {
  versions: readonly string[];
  steps: StepTypes;
}

/**
 * Loads .json scenario files from files and/or directories (recursively, sorted by path; see
 * `files.ts` for links, skipped folders and paths that cannot be used). Never throws for bad files.
 */
export function loadScenarios(paths: string[], options: LoadOptions = {}): { scenarios: LoadedScenario[]; errors: ScenarioLoadError[] } {
  const vocabulary: Vocabulary = { versions: extraVersions(options), steps: options.steps ?? {} };
  const { files, errors } = findFiles(paths);
  const scenarios: LoadedScenario[] = [];
  const byName = new Map<string, LoadedScenario>();
  for (const f of files) {
    let result: ReturnType<typeof loadScenarioFile>;
    try {
      result = loadScenarioFile(f, vocabulary);
    } catch (e) {
      // A bug in the loader must not stop the run: the file is reported like a malformed one.
      errors.push({ file: displayPath(f), jsonPath: '$', message: `the loader failed on this file (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)})` });
      continue;
    }
    if ('errors' in result) {
      errors.push(...result.errors);
      continue;
    }
    const previous = byName.get(result.scenario.name);
    if (previous !== undefined) {
      errors.push({
        file: result.scenario.file,
        jsonPath: '$.name',
        line: result.nameLine,
        message: `duplicate scenario name "${result.scenario.name}" (also the name of ${previous.file}); scenario names must be unique`,
      });
      continue;
    }
    byName.set(result.scenario.name, result.scenario);
    scenarios.push(result.scenario);
  }
  return { scenarios, errors };
}

/** The published schema's words alone. */
const NO_EXTRAS: Vocabulary = { versions: [], steps: {} };

/** The declared versions that are not built-in, once each. */
function extraVersions(options: LoadOptions): string[] {
  const builtin: readonly string[] = CHANNEL_VERSIONS;
  return [...new Set(options.versions ?? [])].filter((v) => !builtin.includes(v));
}

/** Loads one file: the scenario, or every fault found in it. `vocabulary`: see {@link LoadOptions}. */
export function loadScenarioFile(file: string, vocabulary: Vocabulary = NO_EXTRAS): { scenario: LoadedScenario; nameLine?: number } | { errors: ScenarioLoadError[] } {
  const shown = displayPath(file);
  let text: string;
  try {
    // Never open what is not a regular file: reading a FIFO blocks until a writer comes.
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { errors: [{ file: shown, jsonPath: '$', message: notRegularFileMessage(stat) }] };
    if (stat.size > MAX_SCENARIO_FILE_BYTES) {
      const message = `the file is ${stat.size} bytes, over the limit MAX_SCENARIO_FILE_BYTES of ${showBytes(MAX_SCENARIO_FILE_BYTES)}; it is not read`;
      return { errors: [{ file: shown, jsonPath: '$', message }] };
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { errors: [{ file: shown, jsonPath: '$', message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }] };
  }
  return loadScenarioText(text, shown, vocabulary);
}

/** Loads a scenario from its text; `file` is only used in messages and in the result. */
export function loadScenarioText(text: string, file: string, vocabulary: Vocabulary = NO_EXTRAS): { scenario: LoadedScenario; nameLine?: number } | { errors: ScenarioLoadError[] } {
  let parsed: PositionedJson;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return { errors: [{ file, jsonPath: '$', line: e.line, message: `invalid JSON at line ${e.line}, column ${e.column}: ${e.detail}` }] };
    }
    if (e instanceof JsonLimitError) return { errors: [{ file, jsonPath: e.jsonPath, line: e.line, message: e.message }] };
    throw e;
  }
  const withLine = (f: SchemaFault): ScenarioLoadError => {
    const line = positionOf(parsed.positions, f.jsonPath)?.line;
    return { file, jsonPath: f.jsonPath, ...(line !== undefined ? { line } : {}), message: f.message };
  };
  if (parsed.duplicateKeys.length > 0) {
    return {
      errors: parsed.duplicateKeys.map((d) => ({ file, jsonPath: d.path, line: d.line, message: `duplicate key: the same property is already set at line ${d.firstLine}` })),
    };
  }
  const schemaFaults = validateAgainstSchema(parsed.value, vocabulary.versions, vocabulary.steps);
  if (schemaFaults.length > 0) return { errors: sortByLine(schemaFaults.map(withLine)) };
  const data = parsed.value as ScenarioData;
  const semanticFaults = checkSemantics(data, vocabulary.steps);
  if (semanticFaults.length > 0) return { errors: sortByLine(semanticFaults.map(withLine)) };
  const overBudget = allocationFault(data);
  if (overBudget !== undefined) return { errors: [withLine(overBudget)] };

  const stepLines = data.steps.map((_, i) => positionOf(parsed.positions, `$.steps[${i}]`)?.line ?? 0);
  const nameLine = positionOf(parsed.positions, '$.name')?.line;
  return {
    scenario: {
      file,
      name: data.name,
      channel: data.channel,
      kind: data.kind,
      description: data.description,
      versions: CHANNEL_VERSIONS.filter((v) => data.expected[v] !== undefined),
      data,
      stepLines,
    },
    ...(nameLine !== undefined ? { nameLine } : {}),
  };
}

function sortByLine(errors: ScenarioLoadError[]): ScenarioLoadError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.line ?? 0) - (b.e.line ?? 0) || a.i - b.i)
    .map((x) => x.e);
}
