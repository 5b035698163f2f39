/**
 * Runs one command of the CLI as the process: checks the `BYTEBUF_*` variables, loads and runs
 * the command, and ends the process the way the command needs (see `Command.ending`). Nothing
 * ends in a stack dump or an unhandled rejection: an error no part of the command expected is one
 * line (the stack too with LEAK_TESTS_DEBUG=1) and the command's internal-error exit code.
 * @packageDocumentation
 */
import { ExitCode } from '../leak-tests/exit-code';
import { describeError, installUncaughtHandlers } from '../leak-tests/uncaught';
import { loadWithValidEnvironment } from '../lib/environment';
import { exitWhenFlushed } from '../lib/exit';
import type { Command } from './commands';
import { dispatch } from './dispatch';

/** Ends the process with `code`, the way `command` ends. */
function end(command: Command, code: number): void {
  if (command.ending === 'flush') {
    // Exit once stdout and stderr are out: a handle a scenario left open must not keep the runner
    // alive (it was reported), and a pipe must not lose the report's tail.
    exitWhenFlushed(code);
  } else {
    process.exitCode = code;
  }
}

/** Tells an unexpected error in one line and ends with the command's internal-error code. */
function fatal(command: Command, error: unknown): void {
  process.stderr.write(`${command.label}: internal error: ${describeError(error)}\n`);
  if (process.env['LEAK_TESTS_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  end(command, command.internalErrorCode);
}

/** Runs `command` with `argv` (the arguments after its name) as this process. */
export function runCommand(command: Command, argv: readonly string[]): void {
  // The runner replays scenarios whose callbacks may throw from a timer: those errors are routed
  // to the run in progress while it replays, and to the fatal handler otherwise.
  if (command.ending === 'flush') installUncaughtHandlers((error) => fatal(command, error));
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  loadWithValidEnvironment(command.label, process.env, process.stderr, async () => command.load())
    .then((main) => (main === null ? ExitCode.Usage : main(argv, io)))
    .then(
      (code) => end(command, code),
      (error: unknown) => fatal(command, error),
    );
}

/** The CLI: `argv` without the node and script paths. */
export function runCli(argv: readonly string[]): void {
  const picked = dispatch(argv);
  if (picked.kind === 'unknown') {
    process.stderr.write(`${picked.message}\n`);
    process.exitCode = ExitCode.Usage;
    return;
  }
  runCommand(picked.command, picked.argv);
}
