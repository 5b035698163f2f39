/**
 * `npm run test:consumers`: the package as users get it. Builds and packs the repository, then for
 * each app under test/consumers/ (two at a time) installs the tarball into a temporary copy of the
 * app, type-checks the app against the shipped `.d.ts` and runs its tests, checking the exit code
 * and the output against its `expect.json` (see scripts/test-consumers/). Prints one line per app
 * and `consumers: N passed, N failed`; exits 1 if any app failed (its full output is printed), 2
 * on a bad command line. An app that is listed here but missing fails: nothing is skipped silently.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runApp, type AppResult } from './test-consumers/app';
import { parseConsumerArgs, USAGE, type ConsumerArgs } from './test-consumers/args';
import { ConsumerPackError, ConsumerUsageError } from './test-consumers/errors';
import { buildAndPack } from './test-consumers/pack';
import { appEnvironment } from './test-consumers/step';
import { exitWhenFlushed } from './lib/exit';

/**
 * The apps the package promises to work in: each must exist and pass. The slowest to install and
 * run come first, so two at a time finish soonest.
 */
const REQUIRED_APPS = ['jest30', 'jest29', 'vitest', 'vitest3', 'mocha', 'node-test', 'cjs-tsc', 'esm-node'] as const;

const REPO_DIR = path.resolve(__dirname, '..');
const APPS_DIR = path.join(REPO_DIR, 'test', 'consumers');

/** The required apps, then any other folder under test/consumers/. */
function appNames(): string[] {
  const found = readdirSync(APPS_DIR).filter((n) => statSync(path.join(APPS_DIR, n)).isDirectory());
  return [...REQUIRED_APPS, ...found.filter((n) => !(REQUIRED_APPS as readonly string[]).includes(n)).sort()];
}

/** Runs `names` with at most `jobs` at once; reports each result as it comes. */
async function runAll(names: readonly string[], jobs: number, run: (name: string) => Promise<AppResult>, onResult: (r: AppResult) => void): Promise<AppResult[]> {
  const results: AppResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const result = await run(names[next++]!);
      results.push(result);
      onResult(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker));
  return results;
}

function selected(args: ConsumerArgs): string[] {
  const all = appNames();
  const unknown = args.only.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new ConsumerUsageError(`no app named ${unknown.join(', ')}; the apps: ${all.join(', ')}`);
  return args.only.length > 0 ? all.filter((n) => args.only.includes(n)) : all;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseConsumerArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const names = selected(args);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bytebuf-consumers-'));
  const env = appEnvironment();
  try {
    let tarball: string;
    try {
      tarball = args.tarball !== undefined ? path.resolve(args.tarball) : await buildAndPack(REPO_DIR, workDir, env);
    } catch (error) {
      if (!(error instanceof ConsumerPackError)) throw error;
      process.stdout.write(`${error.output}\nconsumers: ${error.message}\nconsumers: 0 passed, ${names.length} failed\n`);
      return 1;
    }
    process.stdout.write(`consumers: installing ${path.basename(tarball)} into ${names.length} app(s), ${args.jobs} at a time\n`);
    const results = await runAll(names, args.jobs, (name) => runApp(name, path.join(APPS_DIR, name), workDir, tarball, env), (r) => {
      process.stdout.write(`consumer ${r.name}: ${r.verdict}\n`);
    });
    const failures = results.filter((r) => !r.ok);
    for (const f of failures) process.stdout.write(`\n==== consumer ${f.name}: full output\n${f.log}\n==== end of consumer ${f.name}\n`);
    process.stdout.write(`consumers: ${results.length - failures.length} passed, ${failures.length} failed\n`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    if (args.keep) process.stdout.write(`consumers: kept ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (error: unknown) => {
    if (error instanceof ConsumerUsageError) {
      process.stderr.write(`test:consumers: ${error.message}\n`);
      exitWhenFlushed(2);
    } else {
      process.stderr.write(`test:consumers: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      exitWhenFlushed(1);
    }
  },
);
