/**
 * The mutant set (`scenarios/mutants/*.json`): hand-written patches of the fixed channel and its
 * integration consumers, each an exact-text substitution that must match its file exactly once.
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** One mutant: replace `search` (found exactly once in `file`) by `replace`. */
export interface Mutant {
  /** Unique id, also the file name without `.json`. */
  readonly id: string;
  /** Path of the patched file, relative to the repository root (e.g. `channel/ownership.ts`). */
  readonly file: string;
  /** What the patch breaks, in a sentence. */
  readonly description: string;
  readonly search: string;
  readonly replace: string;
}

/** A mutant file that is malformed, or a patch that does not match its source exactly once. */
export class MutantError extends Error {
  override readonly name = 'MutantError';
  readonly code: 'ERR_MUTANT_MALFORMED' | 'ERR_MUTANT_DOES_NOT_APPLY';
  /** The mutant's id (or its file name when the id itself is missing). */
  readonly mutant: string;
  constructor(code: MutantError['code'], mutant: string, message: string) {
    super(`mutant ${mutant}: ${message}`);
    this.code = code;
    this.mutant = mutant;
  }
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const FIELDS = ['id', 'file', 'description', 'search', 'replace'] as const;

/** Checks one parsed mutant file (`fileName` for messages and the id check). */
export function parseMutant(value: unknown, fileName: string): Mutant {
  const base = path.basename(fileName, '.json');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MutantError('ERR_MUTANT_MALFORMED', base, `${fileName}: expected an object with ${FIELDS.join(', ')}`);
  }
  const record = value as Record<string, unknown>;
  for (const field of FIELDS) {
    // An empty "replace" deletes the search text; every other field must say something.
    if (typeof record[field] !== 'string' || (record[field] === '' && field !== 'replace')) {
      throw new MutantError('ERR_MUTANT_MALFORMED', base, `${fileName}: "${field}" must be a ${field === 'replace' ? '' : 'non-empty '}string`);
    }
  }
  const extra = Object.keys(record).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (extra.length > 0) throw new MutantError('ERR_MUTANT_MALFORMED', base, `${fileName}: unknown property "${extra[0]}"`);
  const mutant = record as unknown as Mutant;
  if (!ID.test(mutant.id) || mutant.id !== base) {
    throw new MutantError('ERR_MUTANT_MALFORMED', base, `${fileName}: "id" must be the file name without .json (lower case, digits, -), got "${mutant.id}"`);
  }
  if (mutant.search === mutant.replace) throw new MutantError('ERR_MUTANT_MALFORMED', base, `${fileName}: "replace" equals "search"`);
  return mutant;
}

/** Every `*.json` of `dir` but `equivalent.json`, in id order. */
export function loadMutants(dir: string): Mutant[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== EQUIVALENT_FILE)
    .sort()
    .map((f) => parseMutant(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown, f));
}

/** The file of `dir` that lists the known-equivalent survivors. */
export const EQUIVALENT_FILE = 'equivalent.json';

/** Number of times `search` occurs in `text` (non-overlapping). */
function occurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + search.length)) count++;
  return count;
}

/**
 * `source` with the mutant's substitution made.
 * @throws MutantError (ERR_MUTANT_DOES_NOT_APPLY) unless `search` occurs exactly once.
 */
export function applyMutant(mutant: Mutant, source: string): string {
  const count = occurrences(source, mutant.search);
  if (count !== 1) {
    const what = count === 0 ? 'not found' : `found ${count} times`;
    throw new MutantError('ERR_MUTANT_DOES_NOT_APPLY', mutant.id, `does not apply: its search text is ${what} in ${mutant.file} (it must occur exactly once)`);
  }
  const at = source.indexOf(mutant.search);
  return source.slice(0, at) + mutant.replace + source.slice(at + mutant.search.length);
}

/** Checks every mutant against the sources under `root`; the errors, one per mutant that does not apply. */
export function checkApplies(mutants: readonly Mutant[], root: string): MutantError[] {
  const errors: MutantError[] = [];
  for (const mutant of mutants) {
    let source: string;
    try {
      source = readFileSync(path.join(root, mutant.file), 'utf8');
    } catch {
      errors.push(new MutantError('ERR_MUTANT_DOES_NOT_APPLY', mutant.id, `does not apply: ${mutant.file} cannot be read`));
      continue;
    }
    try {
      applyMutant(mutant, source);
    } catch (e) {
      errors.push(e as MutantError);
    }
  }
  return errors;
}
