#!/usr/bin/env node
/**
 * `npx bytebuf-leak-tests` (the package's bin; `npm run leak-tests` in this repository): the
 * leak-tests runner, and the subcommands `merge` and `merge-jest` (see `--help`, and
 * scripts/cli/ for the modules).
 */
import { runCli } from './cli/run';

runCli(process.argv.slice(2));
