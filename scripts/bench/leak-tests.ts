/**
 * Benchmark section `leak-tests` (`npm run bench -- leak-tests`): the start and run of the leak
 * gate, by CPU time (user + system, every Node process of the command), against a bare
 * `node -e 0` measured in the same rounds, interleaved:
 *
 * - `node scripts/run-leak-tests.cjs` (what `npm run leak-tests` runs: the compiled runner on
 *   every built-in scenario), goal at most 12x the bare start;
 * - `npm run leak-tests` (npm's own start added);
 * - `tsx scripts/cli.ts` (the same runner from the sources, for comparison).
 *
 * Ratios per round (each command against the same round's bare start), printed as median and
 * min..max. dist/ is brought up to date first, unmeasured.
 */
import * as path from 'node:path';
import { cpuOfChild, type ChildCpu } from './lib/childCpu';
import { median } from './lib/rounds';
import { formatMarkdownTable } from './lib/table';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const ROUNDS = Number(process.env.LEAK_TESTS_BENCH_ROUNDS ?? 5);
/** The compiled runner may cost at most this many times a bare node start. */
const GOAL_RATIO = 12;

interface Way {
  label: string;
  command: string;
  args: string[];
}

const BARE: Way = { label: 'bare `node -e 0`', command: process.execPath, args: ['-e', '0'] };
const WAYS: Way[] = [
  { label: 'compiled runner (`npm run leak-tests` without npm)', command: process.execPath, args: ['scripts/run-leak-tests.cjs'] },
  { label: '`npm run leak-tests`', command: 'npm', args: ['run', '--silent', 'leak-tests'] },
  { label: 'sources under tsx (`tsx scripts/cli.ts`)', command: TSX, args: ['scripts/cli.ts'] },
];

const span = (values: readonly number[], digits: number, unit = ''): string =>
  `${median(values).toFixed(digits)}${unit} (${Math.min(...values).toFixed(digits)}..${Math.max(...values).toFixed(digits)})`;

/** Runs the section and prints its lines. */
export async function run(): Promise<void> {
  const measure = (w: Way): ChildCpu => cpuOfChild(w.command, w.args, ROOT);
  const warm = measure(WAYS[0]!); // builds dist/ if the sources changed; warms the file cache
  if (warm.status !== 0) console.log(`note: the compiled runner exited with ${warm.status} (not 0): the gate is failing`);
  const bare: number[] = [];
  const rows = WAYS.map(() => ({ cpu: [] as number[], wall: [] as number[], ratio: [] as number[], statuses: new Set<number | null>() }));
  for (let round = 0; round < ROUNDS; round++) {
    const b = measure(BARE).cpuSeconds;
    bare.push(b);
    WAYS.forEach((w, i) => {
      const m = measure(w);
      rows[i]!.cpu.push(m.cpuSeconds);
      rows[i]!.wall.push(m.wallSeconds);
      rows[i]!.ratio.push(m.cpuSeconds / b);
      rows[i]!.statuses.add(m.status);
    });
  }
  console.log(`${ROUNDS} rounds; CPU s and wall s as median (min..max); ratio: CPU against the same round's bare start`);
  console.log(
    formatMarkdownTable([
      ['command', 'CPU s', 'wall s', 'CPU vs bare node'],
      [BARE.label, span(bare, 3), '', '1.00x'],
      ...WAYS.map((w, i) => [w.label, span(rows[i]!.cpu, 2), span(rows[i]!.wall, 2), span(rows[i]!.ratio, 1, 'x')]),
    ]),
  );
  const compiled = median(rows[0]!.ratio);
  console.log(`compiled runner against a bare node start: ${compiled.toFixed(1)}x the CPU (goal: at most ${GOAL_RATIO}x): ${compiled <= GOAL_RATIO ? 'met' : 'NOT met'}`);
  const failing = WAYS.filter((_, i) => !(rows[i]!.statuses.size === 1 && rows[i]!.statuses.has(0)));
  if (failing.length > 0) console.log(`note: ${failing.map((w) => w.label).join(', ')} exited non-zero: the gate is failing`);
}
