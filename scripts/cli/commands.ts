/**
 * The commands of `npx bytebuf-leak-tests`: the leak-tests runner (no subcommand) and the two
 * merges. Each command's modules are loaded only after the `BYTEBUF_*` variables are checked (they
 * load the harness, which reads them), with `require` rather than `import()`: the compiled CLI is
 * CommonJS, and a relative `import()` would need file extensions that the TypeScript sources lack.
 * @packageDocumentation
 */
import type { CliIo } from '../leak-tests/output';

/** A loaded command: runs with the arguments after its name, resolves to the exit code. */
export type CommandMain = (argv: readonly string[], io: CliIo) => Promise<number>;

/** One command of the CLI. */
export interface Command {
  /** The subcommand (`merge`), or null for the runner, which has none. */
  readonly name: string | null;
  /** The prefix of its messages (`leak-tests: ...`), as when each command was its own script. */
  readonly label: string;
  /** Its usage line in the CLI's help. */
  readonly usage: string;
  /** One line on what it does. */
  readonly summary: string;
  /**
   * How the process ends: `flush` exits once stdout and stderr are out, even with handles still
   * open (a scenario may leave one, and the runner reports it); `natural` sets the exit code and
   * lets the event loop run out, so nothing is cut.
   */
  readonly ending: 'flush' | 'natural';
  /** The exit code of an error the command did not expect. */
  readonly internalErrorCode: number;
  /** Loads the command's modules. */
  load(): CommandMain;
}

/** The runner: replays the scenario files and gates CI on the result. */
export const RUN_COMMAND: Command = {
  name: null,
  label: 'leak-tests',
  usage: 'npx bytebuf-leak-tests [options]',
  summary: 'replay the scenario files against the channel versions (the default)',
  ending: 'flush',
  internalErrorCode: 1,
  load() {
    const { main } = require('../leak-tests/main') as typeof import('../leak-tests/main');
    return (argv, io) => main(argv, io, async () => require('../../scenarios/engine') as typeof import('../../scenarios/engine'));
  },
};

/** `merge`: the JSON reports of a sharded run, merged into one. */
export const MERGE_COMMAND: Command = {
  name: 'merge',
  label: 'merge-leak-reports',
  usage: 'npx bytebuf-leak-tests merge [options] <part.json>...',
  summary: 'merge the --json reports of a sharded run (--shard i/n) into one',
  ending: 'natural',
  internalErrorCode: 1,
  load() {
    const { mergeMain } = require('../leak-tests/merge') as typeof import('../leak-tests/merge');
    return async (argv, io) => mergeMain(argv, io);
  },
};

/** `merge-jest`: the jest leak reporter's summaries of a sharded jest run, merged into one. */
export const MERGE_JEST_COMMAND: Command = {
  name: 'merge-jest',
  label: 'merge-jest-leak-reports',
  usage: 'npx bytebuf-leak-tests merge-jest [--output merged.json] <part.json>...',
  summary: "merge the jest leak reporter's outputFile summaries of a sharded jest run",
  ending: 'natural',
  internalErrorCode: 2,
  load() {
    const { main } = require('../merge-jest-leak-reports/main') as typeof import('../merge-jest-leak-reports/main');
    return async (argv, io) =>
      main(
        argv,
        (text) => io.stdout.write(text),
        (text) => io.stderr.write(text),
      );
  },
};

/** The subcommands, in the order the help lists them. */
export const SUBCOMMANDS: readonly Command[] = [MERGE_COMMAND, MERGE_JEST_COMMAND];
