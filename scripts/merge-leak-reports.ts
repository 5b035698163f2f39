/**
 * `npx bytebuf-leak-tests merge` by its old name: merges the JSON reports of a sharded leak-tests
 * run (see scripts/leak-tests/merge.ts). The exit code is set and the process ends on its own, so
 * its output drains whole into a pipe.
 */
import { MERGE_COMMAND } from './cli/commands';
import { runCommand } from './cli/run';

runCommand(MERGE_COMMAND, process.argv.slice(2));
