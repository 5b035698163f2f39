/**
 * The leak-tests runner alone, without the subcommands of scripts/cli.ts (the tests spawn it by
 * this name). See scripts/cli/run.ts for how the process is wired and ends.
 */
import { RUN_COMMAND } from './cli/commands';
import { runCommand } from './cli/run';

runCommand(RUN_COMMAND, process.argv.slice(2));
