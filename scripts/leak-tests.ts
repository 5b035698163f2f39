/**
 * `npm run leak-tests`: replays the scenario files against the channel versions and gates CI on the
 * result (see `--help`, and scripts/leak-tests/ for the modules). This file only wires the real
 * engine and the process to `main`, and owns the one top-level error handler: nothing ends in a
 * stack dump or an unhandled rejection, and the process always exits, even if a scenario left a
 * handle open, but never before its output is out.
 */
import { ExitCode } from './leak-tests/exit-code';
import { describeError, installUncaughtHandlers } from './leak-tests/uncaught';
import { loadWithValidEnvironment } from './lib/environment';
import { exitWhenFlushed } from './lib/exit';

/** An error no part of the runner expected: one line (the stack with LEAK_TESTS_DEBUG=1), exit 1. */
function fatal(error: unknown): void {
  process.stderr.write(`leak-tests: internal error: ${describeError(error)}\n`);
  if (process.env['LEAK_TESTS_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  exitWhenFlushed(ExitCode.Failed);
}

async function run(): Promise<ExitCode> {
  // `main` and the engine load the harness, which reads the BYTEBUF_* variables: checked first.
  const main = await loadWithValidEnvironment('leak-tests', process.env, process.stderr, async () => (await import('./leak-tests/main')).main);
  if (main === null) return ExitCode.Usage;
  return main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, () => import('../scenarios/engine'));
}

installUncaughtHandlers(fatal);
run().then(
  // Exit once stdout and stderr are out: a handle a scenario left open must not keep the runner
  // alive (it was reported), and a pipe must not lose the report's tail.
  (code) => exitWhenFlushed(code),
  fatal,
);
