/**
 * Bench section `jest`: the leak sanitizer's cost, with the sanitizer off, on (paranoid, the
 * default: creation sites and paths), on with its resources check off (`BYTEBUF_JEST_RESOURCES=off`),
 * and on at level `disabled` (the exact ledger alone), in the same run, rounds interleaved; each
 * round's time is compared with the same round's "off", and the ratios' median and min..max
 * printed. A last line per workload gives the cost of the resources check alone: the default
 * variant against the one without it, measured in the same rounds.
 *
 * 1. The project's own jest suite: wall time of the whole `jest` process (what a developer waits
 *    for) and the sum of the test files' own run times from jest's JSON (without jest's start-up).
 *    test/jest/ is left out: its tests start child jest runs that always have the sanitizer on.
 *    Much of this suite's time is spent in child processes the sanitizer does not touch, so expect
 *    noise of a few percent either way on these 2-core machines.
 * 2. Per-test overhead: a synthetic file of 400 small tests (test/jest/fixtures/many-tests.bench.ts:
 *    buffers made, retained, released around an `await`), timed by jest itself.
 *
 * Usage: npx tsx scripts/bench.ts jest   (BENCH_JEST_ROUNDS=n rounds of the suite, default 3;
 * the synthetic file runs 5 rounds)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatRange, formatRatio, median, perRoundRatios } from './lib/rounds';

const ROOT = path.resolve(__dirname, '../..');
const JEST_BIN = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const FIXTURE_CONFIG = path.join(ROOT, 'test', 'jest', 'fixtures', 'jest.config.cjs');

/** What a round runs: the project's suite, or the synthetic file. */
interface Workload {
  title: string;
  args: string[];
  rounds: number;
}

interface Variant {
  name: string;
  env: Record<string, string>;
}

const WITH_RESOURCES = 'sanitizer on (paranoid)';
const WITHOUT_RESOURCES = 'sanitizer on, resources check off';

const VARIANTS: Variant[] = [
  { name: 'sanitizer off', env: { BYTEBUF_JEST_SANITIZER: 'off' } },
  { name: WITH_RESOURCES, env: {} },
  { name: WITHOUT_RESOURCES, env: { BYTEBUF_JEST_RESOURCES: 'off' } },
  { name: 'sanitizer on (level disabled)', env: { BYTEBUF_LEAK_DETECTION_LEVEL: 'disabled' } },
];

interface Sample {
  wallMs: number;
  filesMs: number;
  passed: number;
  failed: number;
}

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { startTime: number; endTime: number }[];
}

/** Runs `workload` once with `variant`'s environment. */
function runOnce(workload: Workload, variant: Variant, resultsFile: string): Promise<Sample> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BYTEBUF_')) env[k] = v;
  Object.assign(env, variant.env, { FORCE_COLOR: '0' });
  const args = [JEST_BIN, '--json', `--outputFile=${resultsFile}`, ...workload.args];
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = performance.now() - start;
      try {
        const json = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestJson;
        const filesMs = json.testResults.reduce((n, r) => n + (r.endTime - r.startTime), 0);
        resolve({ wallMs, filesMs, passed: json.numPassedTests, failed: json.numFailedTests });
      } catch (error) {
        reject(new Error(`jest left no readable results for '${variant.name}': ${(error as Error).message}`));
      }
    });
  });
}

/** Runs every variant `workload.rounds` times (after a warm-up) and prints the table. */
async function measure(workload: Workload, results: string): Promise<void> {
  await runOnce(workload, VARIANTS[0]!, results); // warm-up: fills jest's transform cache
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.name, []]));
  for (let r = 0; r < workload.rounds; r++) {
    // Rotate the order each round, so drift on the machine does not favour one variant.
    for (let i = 0; i < VARIANTS.length; i++) {
      const v = VARIANTS[(i + r) % VARIANTS.length]!;
      samples.get(v.name)!.push(await runOnce(workload, v, results));
    }
  }
  const base = samples.get(VARIANTS[0]!.name)!;
  // Round r of a variant against round r of "off": the same stretch of machine time.
  const ratios = (s: Sample[], against: Sample[], key: 'wallMs' | 'filesMs'): number[] => perRoundRatios(s.map((x) => x[key]), against.map((x) => x[key]));
  const cells = (r: number[]): string => `${formatRatio(median(r))} | ${formatRange(r)}`;
  console.log(`\n${workload.title}, ${workload.rounds} round(s), medians; ratios against '${VARIANTS[0]!.name}' in the same round (median, min..max):`);
  console.log('| variant | wall ms | ratio | min..max | test files ms | ratio | min..max | tests passed / failed |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const v of VARIANTS) {
    const s = samples.get(v.name)!;
    const last = s[s.length - 1]!;
    console.log(
      `| ${v.name} | ${median(s.map((x) => x.wallMs)).toFixed(0)} | ${cells(ratios(s, base, 'wallMs'))} | ${median(s.map((x) => x.filesMs)).toFixed(0)} | ${cells(ratios(s, base, 'filesMs'))} | ${last.passed} / ${last.failed} |`,
    );
  }
  const withResources = samples.get(WITH_RESOURCES)!;
  const withoutResources = samples.get(WITHOUT_RESOURCES)!;
  const resources = (key: 'wallMs' | 'filesMs'): string => {
    const r = ratios(withResources, withoutResources, key);
    return `${formatRatio(median(r))} (${formatRange(r)})`;
  };
  console.log(`Resources check: ${resources('wallMs')} wall, ${resources('filesMs')} test files ('${WITH_RESOURCES}' against '${WITHOUT_RESOURCES}', same rounds)`);
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_JEST_ROUNDS ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`Expected BENCH_JEST_ROUNDS to be an integer >= 1, got '${String(process.env.BENCH_JEST_ROUNDS)}'`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-jest-'));
  try {
    const results = path.join(tmp, 'results.json');
    await measure({ title: 'Per-test overhead: 400 small tests', args: ['-c', FIXTURE_CONFIG, '--testMatch', '**/many-tests.bench.ts'], rounds: 5 }, results);
    await measure({ title: 'The project suite without test/jest/', args: ['--testPathIgnorePatterns=/test/jest/'], rounds }, results);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
