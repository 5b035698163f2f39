/**
 * `npm run bench -- --instructions [section ...]`: every comparison of `comparisons.ts` (or those of
 * the sections named) by instruction count. Each distinct measurement runs under callgrind at its
 * two sizes, two runs at a time (the machine's 2 cores; counts do not depend on load), as
 * `valgrind --tool=callgrind --callgrind-out-file=<tmp> node --single-threaded --predictable --import tsx <workload> <config> <n>`,
 * each workload first run once outside callgrind (warm transform caches);
 * a side's cost per unit is the difference of the two totals over the difference of the sizes.
 * @packageDocumentation
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CallgrindOutputError, CallgrindRunError, countInstructions, findOnPath, perUnitDifference, runChild, VALGRIND_MISSING, workloadCommand } from './callgrind';
import { COMPARISONS, sectionsOf, type Comparison, type Measurement, type Side } from './comparisons';
import { formatInstructionTable, formatIr, type InstructionRow } from './table';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WORKLOADS = path.join(__dirname, 'workloads');
/** Runs under callgrind at once: one per core. */
const JOBS = Math.max(1, Math.min(2, os.availableParallelism()));

/** Where the output goes (stdout and stderr in the command). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const keyOf = (m: Measurement): string => `${m.workload} ${JSON.stringify(m.config)} ${m.sizes.join(',')}`;

/** The comparisons of `sections` (all when none is named), or the line naming the unknown ones. */
export function pickComparisons(sections: readonly string[], all: readonly Comparison[] = COMPARISONS): Comparison[] | string {
  const known = sectionsOf(all);
  const unknown = sections.filter((s) => !known.includes(s));
  if (unknown.length > 0) return `bench: Expected --instructions sections among ${known.join(', ')}, got ${unknown.join(', ')}`;
  return sections.length === 0 ? [...all] : all.filter((c) => sections.includes(c.section));
}

/** Every distinct measurement the comparisons need (a baseline shared by rows is run once). */
export function measurementsOf(comparisons: readonly Comparison[]): Measurement[] {
  const byKey = new Map<string, Measurement>();
  for (const c of comparisons) {
    for (const side of [c.subject, c.baseline]) for (const m of [side.measure, side.minus]) if (m !== undefined) byKey.set(keyOf(m), m);
  }
  return [...byKey.values()];
}

/** A side's instructions per unit, from the per-unit cost of each measurement. */
export function sidePerUnit(side: Side, perUnit: (m: Measurement) => number): number {
  const minus = side.minus === undefined ? 0 : perUnit(side.minus);
  return (perUnit(side.measure) - minus) / (side.per ?? 1);
}

/** Runs `tasks` with at most `jobs` at once; rejects with the first failure once the running ones end. */
async function pool(tasks: Array<() => Promise<void>>, jobs: number): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  if (failure !== null) throw failure;
}

function machine(): string {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(safeRead('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  return `node ${process.version}, ${cpu}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(2)}`;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Runs the comparisons of `sections` and prints the table; gives the exit code. */
export async function runInstructions(sections: readonly string[], output: Output): Promise<number> {
  if (findOnPath('valgrind', process.env.PATH) === null) {
    output.err(VALGRIND_MISSING);
    return 2;
  }
  const comparisons = pickComparisons(sections);
  if (typeof comparisons === 'string') {
    output.err(comparisons);
    return 2;
  }
  const measurements = measurementsOf(comparisons);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-instructions-'));
  const counts = new Map<string, number[]>();
  const started = Date.now();
  try {
    // Every workload once outside callgrind first, at its smaller size: tsx's (and jest's)
    // transform caches are then warm for both counts. A cold cache (the sources just changed)
    // made whichever count ran first pay the transforms, which shifted the difference per unit
    // by hundreds of instructions, either way.
    output.out(`priming ${measurements.length} workloads outside callgrind:`);
    await pool(
      measurements.map((m) => () => runChild(workloadCommand(path.join(WORKLOADS, m.workload), m.config, m.sizes[0]), ROOT)),
      JOBS,
    );
    let file = 0;
    const tasks = measurements.flatMap((m) =>
      m.sizes.map((n, i) => async () => {
        const t0 = Date.now();
        const ir = await countInstructions(path.join(WORKLOADS, m.workload), m.config, n, ROOT, path.join(tmp, `callgrind.${file++}.out`));
        const key = keyOf(m);
        const at = counts.get(key) ?? [];
        at[i] = ir;
        counts.set(key, at);
        output.out(`  ${m.workload} ${JSON.stringify(m.config)} n=${n}: ${formatIr(ir)} Ir (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }),
    );
    output.out(`${tasks.length} runs under callgrind, ${JOBS} at a time:`);
    await pool(tasks, JOBS);
  } catch (error) {
    if (!(error instanceof CallgrindRunError || error instanceof CallgrindOutputError)) throw error;
    output.err(`bench: ${error.message}`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const perUnit = (m: Measurement): number => {
    const [small, big] = counts.get(keyOf(m))!;
    return perUnitDifference({ n: m.sizes[0], ir: small! }, { n: m.sizes[1], ir: big! });
  };
  const rows: InstructionRow[] = comparisons.map((c) => ({
    name: c.name,
    unit: c.unit,
    baselinePerUnit: sidePerUnit(c.baseline, perUnit),
    subjectPerUnit: sidePerUnit(c.subject, perUnit),
    goal: c.goal,
  }));
  output.out(`\nInstructions per unit, (Ir(n2) - Ir(n1)) / (n2 - n1) under callgrind, ${((Date.now() - started) / 1000).toFixed(0)} s in all; ${machine()}:`);
  output.out(formatInstructionTable(rows));
  return 0;
}
