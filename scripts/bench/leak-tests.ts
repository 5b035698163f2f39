/**
 * Benchmark section `leak-tests` (`npm run bench -- leak-tests`): the wall time of the whole
 * `npm run leak-tests` (a child process, as CI starts it: npm, tsx start-up, engine load, every
 * replay, report, exit), of `tsx scripts/leak-tests.ts` without npm, and of a bare tsx start-up
 * (an empty file), measured in the same run, interleaved, median of several runs. The budget is
 * 3 s in all on this 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const RUNS = 5;
const BUDGET_MS = 3000;

/** Wall time of one child process, in ms, and its exit status. */
function timeChild(command: string, args: string[]): { ms: number; status: number | null } {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, GITHUB_ACTIONS: '' } });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: r.status };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs the section and prints its lines. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-leak-tests-'));
  const empty = path.join(dir, 'empty.ts');
  writeFileSync(empty, '');
  try {
    const bare: number[] = [];
    const direct: number[] = [];
    const viaNpm: number[] = [];
    const statuses = new Set<number | null>();
    timeChild(TSX, [empty]); // warm the file cache once, unmeasured
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeChild(TSX, [empty]).ms);
      const d = timeChild(TSX, ['scripts/leak-tests.ts']);
      direct.push(d.ms);
      const n = timeChild('npm', ['run', '--silent', 'leak-tests']);
      viaNpm.push(n.ms);
      statuses.add(d.status).add(n.status);
    }
    const line = (label: string, values: number[]): string =>
      `${label.padEnd(38)} median ${median(values).toFixed(0).padStart(5)} ms of ${RUNS} (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
    const b = median(bare);
    const d = median(direct);
    const n = median(viaNpm);
    console.log(line('bare tsx start-up (an empty file)', bare));
    console.log(line('tsx scripts/leak-tests.ts', direct));
    console.log(line('npm run leak-tests', viaNpm));
    console.log(`leak-tests over bare tsx: +${(d - b).toFixed(0)} ms (engine load, every replay, report), ratio ${(d / b).toFixed(2)}x`);
    console.log(`npm run leak-tests against the ${BUDGET_MS} ms budget: ${n < BUDGET_MS ? 'within' : 'OVER'} (${((n / BUDGET_MS) * 100).toFixed(0)}% used; npm itself adds ${(n - d).toFixed(0)} ms)`);
    if (!(statuses.size === 1 && statuses.has(0))) console.log(`note: leak-tests exited with ${[...statuses].join(', ')} (not 0): the gate is failing`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
