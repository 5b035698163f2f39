/**
 * `npx tsx scripts/merge-leak-reports.ts part1.json part2.json ...`: merges the JSON reports of a
 * sharded `npm run leak-tests -- --shard i/n --json part-i.json` into one report (see
 * scripts/leak-tests/merge.ts), prints it and exits like the runner.
 */
import { mergeMain } from './leak-tests/merge';
import { describeError } from './leak-tests/uncaught';

try {
  process.exitCode = mergeMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
} catch (error) {
  process.stderr.write(`merge-leak-reports: internal error: ${describeError(error)}\n`);
  if (process.env['LEAK_TESTS_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
