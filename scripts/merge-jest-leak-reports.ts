/**
 * `npx tsx scripts/merge-jest-leak-reports.ts [--output merged.json] part1.json part2.json ...`:
 * merges the jest leak reporter's summaries of a sharded run (see
 * scripts/merge-jest-leak-reports/main.ts). The exit code is set and the process ends on its
 * own, so its output drains whole into a pipe.
 */
import { describeError } from './leak-tests/uncaught';
import { loadWithValidEnvironment } from './lib/environment';

/** Exit code of bad input; the merge module has the others, but it is not loaded yet. */
const ERROR_EXIT = 2;

async function run(): Promise<number> {
  // The merge loads the harness, which reads the BYTEBUF_* variables: checked first.
  const main = await loadWithValidEnvironment('merge-jest-leak-reports', process.env, process.stderr, async () => (await import('./merge-jest-leak-reports/main')).main);
  return main === null ? ERROR_EXIT : main(process.argv.slice(2));
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`merge-jest-leak-reports: internal error: ${describeError(error)}\n`);
    process.exitCode = ERROR_EXIT;
  },
);
