/**
 * `npm run mutants`: replays the built-in scenarios against every mutant of the fixed channel,
 * two at a time, and scores how many they catch.
 * @packageDocumentation
 */
import * as path from 'node:path';
import { checkApplies, EQUIVALENT_FILE, loadMutants, type Mutant } from './mutant';
import { replayMutant } from './sandbox';
import { exitCodeOf, loadEquivalents, score, summaryLine } from './score';
import { verdictOf, type Verdict } from './verdict';

/** Mutants replayed at once (the machine has 2 cores). */
export const PARALLEL = 2;
/** A gate run past this is killed and the mutant counted as caught (a hang). */
export const GATE_TIME_LIMIT_MS = 60_000;

export const USAGE = `usage: npm run mutants [-- --only <id>[,<id>...]] [--mutants <dir>]
  --only <ids>     replay only these mutants (repeatable); the 95% score is not required then
  --mutants <dir>  the mutant folder (default scenarios/mutants)
exit: 0 all good, 1 score below 95% or a survivor not listed in equivalent.json, 2 usage or a mutant that does not apply`;

interface Options {
  only: string[] | undefined;
  dir: string;
}

/** Parses the arguments; a string is a usage error. */
export function parseArgs(argv: readonly string[], root: string): Options | string {
  const options: Options = { only: undefined, dir: path.join(root, 'scenarios', 'mutants') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    if ((arg === '--only' || arg === '--mutants') && (value === undefined || value.startsWith('--'))) return `${arg} needs a value`;
    if (arg === '--only') options.only = [...(options.only ?? []), ...value!.split(',').filter((s) => s !== '')];
    else if (arg === '--mutants') options.dir = path.resolve(value!);
    else if (arg === '--help' || arg === '-h') return '';
    else return `unknown argument "${arg}"`;
    i++;
  }
  return options;
}

/** Runs `work` over `items`, `limit` at a time, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function line(id: string, verdict: Verdict): string {
  return verdict.status === 'caught' ? `mutant ${id}: caught by ${verdict.by}` : `mutant ${id}: SURVIVED`;
}

/** The whole run; returns the exit code. `write` gets every line of output. */
export async function main(argv: readonly string[], root: string, write: (text: string) => void): Promise<number> {
  const options = parseArgs(argv, root);
  if (typeof options === 'string') {
    write(options === '' ? `${USAGE}\n` : `mutants: ${options}\n${USAGE}\n`);
    return options === '' ? 0 : 2;
  }
  let mutants: Mutant[];
  let equivalents;
  try {
    mutants = loadMutants(options.dir);
    equivalents = loadEquivalents(path.join(options.dir, EQUIVALENT_FILE));
  } catch (e) {
    write(`mutants: ${(e as Error).message}\n`);
    return 2;
  }
  if (options.only !== undefined) {
    const ids = new Set(mutants.map((m) => m.id));
    const unknown = options.only.filter((id) => !ids.has(id));
    if (unknown.length > 0) {
      write(`mutants: unknown mutant ${unknown.map((u) => `"${u}"`).join(', ')} (see ${path.relative(root, options.dir) || '.'}/)\n`);
      return 2;
    }
    const only = new Set(options.only);
    mutants = mutants.filter((m) => only.has(m.id));
  }
  // Every patch is checked before anything runs: a mutant that no longer applies fails the run at once.
  const stale = checkApplies(mutants, root);
  if (stale.length > 0) {
    for (const e of stale) write(`${e.message}\n`);
    write(`mutants: ${stale.length} mutant(s) do not apply; update or remove them\n`);
    return 2;
  }
  const verdicts = new Map<string, Verdict>();
  await pool(mutants, PARALLEL, async (mutant) => {
    const verdict = verdictOf(await replayMutant(root, mutant, GATE_TIME_LIMIT_MS));
    verdicts.set(mutant.id, verdict);
    write(`${line(mutant.id, verdict)}\n`);
  });
  // Report in id order, whatever order the replays finished in.
  const ordered = new Map([...verdicts].sort(([a], [b]) => (a < b ? -1 : 1)));
  const result = score(ordered, equivalents);
  const reasons = new Map(equivalents.map((e) => [e.id, e.reason]));
  for (const [id, verdict] of ordered) {
    if (verdict.status === 'survived') write(`survivor ${id}: ${reasons.get(id) ?? 'NOT listed in equivalent.json'}\n`);
  }
  for (const id of result.staleEquivalents) write(`note: ${id} is listed in equivalent.json but was caught; remove it from the list\n`);
  write(`${summaryLine(result)}\n`);
  return exitCodeOf(result, options.only !== undefined);
}
