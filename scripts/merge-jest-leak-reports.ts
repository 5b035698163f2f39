/**
 * `npx bytebuf-leak-tests merge-jest` by its old name: merges the jest leak reporter's summaries
 * of a sharded run (see scripts/merge-jest-leak-reports/main.ts). The exit code is set and the
 * process ends on its own, so its output drains whole into a pipe.
 */
import { MERGE_JEST_COMMAND } from './cli/commands';
import { runCommand } from './cli/run';

runCommand(MERGE_JEST_COMMAND, process.argv.slice(2));
