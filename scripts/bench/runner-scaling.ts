/**
 * Bench section `runner-scaling` (`npm run bench -- runner-scaling`): does `leak-tests` grow
 * linearly with its work? The CPU time (user + system, of every process of the run) of the
 * compiled runner (`node scripts/run-leak-tests.cjs`, what `npm run leak-tests` runs) on 1, 10 and 100 copies of every built-in
 * scenario file, measured in the same run, and the ratios between sizes. The goal: 100 copies
 * cost at most 12x the CPU of 10 copies. CPU, not wall time: the machines are shared, and a
 * waiting process costs none. One run per size (the largest takes about a minute of CPU), after
 * an unmeasured run of one copy (which builds dist/ when it is stale); `RUNNER_SCALING_COPIES`
 * (default `1,10,100`) picks the sizes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cpuOfChild } from './lib/childCpu';

const ROOT = path.resolve(__dirname, '..', '..');
const CASES = path.join(ROOT, 'scenarios', 'cases');
/** 100 copies may cost at most this many times 10 copies. */
const GOAL_RATIO = 12;

/** Every built-in scenario file, recursively. */
function builtinFiles(dir: string = CASES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? builtinFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : [],
  );
}

/** `copies` copies of every built-in scenario in `dir`, each under a name of its own. */
function writeCopies(dir: string, copies: number): number {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  for (const file of builtinFiles()) {
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as { name: string; $schema?: string };
    delete scenario.$schema;
    for (let i = 1; i <= copies; i++, n++) writeFileSync(path.join(dir, `${scenario.name}-${i}.json`), JSON.stringify({ ...scenario, name: `${scenario.name}-${i}` }));
  }
  return n;
}

/** CPU seconds of one run of the compiled runner on `dir`, summed over its processes, and its exit status. */
function cpuOfRun(dir: string): { seconds: number; status: number | null } {
  const r = cpuOfChild(process.execPath, ['scripts/run-leak-tests.cjs', '--scenario', dir], ROOT);
  return { seconds: r.cpuSeconds, status: r.status };
}

/** Runs the section and prints its lines. */
export async function run(): Promise<void> {
  const sizes = (process.env.RUNNER_SCALING_COPIES ?? '1,10,100').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.log(`runner-scaling: Expected RUNNER_SCALING_COPIES to be integers >= 1 separated by commas, got '${process.env.RUNNER_SCALING_COPIES}'`);
    return;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'bench-runner-scaling-'));
  try {
    // Unmeasured: brings dist/ up to date (the runner builds it first when the sources changed,
    // which once made the 1-copy run read 10 s instead of 0.6) and warms the file cache.
    const warmUp = path.join(work, 'warm-up');
    writeCopies(warmUp, 1);
    cpuOfRun(warmUp);
    const rows: Array<{ copies: number; files: number; seconds: number; status: number | null }> = [];
    for (const copies of sizes) {
      const dir = path.join(work, `copies-${copies}`);
      const files = writeCopies(dir, copies);
      rows.push({ copies, files, ...cpuOfRun(dir) });
    }
    console.log('| copies of each built-in scenario | scenario files | CPU s (all processes) | ratio to the previous size |');
    console.log('|---|---|---|---|');
    rows.forEach((r, i) => {
      const prev = rows[i - 1];
      const ratio = prev === undefined ? '' : `${(r.seconds / prev.seconds).toFixed(2)}x for ${r.copies / prev.copies}x the work`;
      console.log(`| ${r.copies} | ${r.files} | ${r.seconds.toFixed(2)} | ${ratio} |`);
    });
    const ten = rows.find((r) => r.copies === 10);
    const hundred = rows.find((r) => r.copies === 100);
    if (ten !== undefined && hundred !== undefined) {
      const ratio = hundred.seconds / ten.seconds;
      console.log(`100 copies against 10: ${ratio.toFixed(2)}x the CPU (goal: at most ${GOAL_RATIO}x): ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'}`);
    }
    const failing = rows.filter((r) => r.status !== 0);
    if (failing.length > 0) console.log(`note: leak-tests exited non-zero at ${failing.map((r) => `${r.copies} copies (${r.status})`).join(', ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
