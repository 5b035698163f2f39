/**
 * `npx tsx scripts/merge-leak-reports.ts part1.json part2.json ...`: merges the JSON reports of a
 * sharded `npm run leak-tests -- --shard i/n --json part-i.json` into one report (see
 * scripts/leak-tests/merge.ts), prints it and exits like the runner. The exit code is set and the
 * process ends on its own, so its output drains whole into a pipe.
 */
import { ExitCode } from './leak-tests/exit-code';
import { describeError } from './leak-tests/uncaught';
import { loadWithValidEnvironment } from './lib/environment';

async function run(): Promise<ExitCode> {
  // The merge loads the harness, which reads the BYTEBUF_* variables: checked first.
  const mergeMain = await loadWithValidEnvironment('merge-leak-reports', process.env, process.stderr, async () => (await import('./leak-tests/merge')).mergeMain);
  if (mergeMain === null) return ExitCode.Usage;
  return mergeMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`merge-leak-reports: internal error: ${describeError(error)}\n`);
    if (process.env['LEAK_TESTS_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = ExitCode.Failed;
  },
);
