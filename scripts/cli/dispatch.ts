/**
 * Which command a command line asks for, as a pure function: the first argument names a
 * subcommand, or the runner runs with all of them. The runner takes no positional argument, so a
 * first argument that is neither an option nor a subcommand is a mistake either way: it is told
 * in one line naming it and the subcommands (exit 2).
 * @packageDocumentation
 */
import { suggestion } from '../lib/suggest';
import { RUN_COMMAND, SUBCOMMANDS, type Command } from './commands';

/** The CLI's name, as its messages and help speak of it. */
export const CLI_NAME = 'bytebuf-leak-tests';

/** What the command line asks for. */
export type Dispatched = { kind: 'command'; command: Command; argv: readonly string[] } | { kind: 'unknown'; message: string };

/** Picks the command `argv` (without the node and script paths) asks for. */
export function dispatch(argv: readonly string[], subcommands: readonly Command[] = SUBCOMMANDS): Dispatched {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return { kind: 'command', command: RUN_COMMAND, argv };
  const sub = subcommands.find((c) => c.name === first);
  if (sub !== undefined) return { kind: 'command', command: sub, argv: argv.slice(1) };
  const names = subcommands.map((c) => c.name ?? '');
  return {
    kind: 'unknown',
    message:
      `${CLI_NAME}: Unknown subcommand \`${first}\`${suggestion(first, names)} (subcommands: ${names.join(', ')}; ` +
      'scenario files are passed with `--scenario <file-or-dir>`; run with --help for the options)',
  };
}
