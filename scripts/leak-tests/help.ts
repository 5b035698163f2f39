/**
 * `npx bytebuf-leak-tests --help` (in this repository `npm run leak-tests -- --help`).
 * @packageDocumentation
 */

/** The usage text. */
export const HELP = `Usage: npx bytebuf-leak-tests [options]
       npx bytebuf-leak-tests merge [options] <part.json>...
       npx bytebuf-leak-tests merge-jest [--output merged.json] <part.json>...

Replays every scenario file against every channel version it names (fixed, legacy, regression),
each replay in its own ledger scope, and compares the observed leaks, over-releases and
acknowledgements with the expected ones. Prints a matrix, the leak report of every unexpected
result, and the closing line "leak-tests: N passed, N failed".

Subcommands (each has its own --help):
  merge       merge the --json reports of a sharded run (--shard i/n) into one
  merge-jest  merge the jest leak reporter's outputFile summaries of a sharded jest run

Options:
  --channel <version>       replay only this version: fixed, legacy or regression (repeatable)
  --scenario <file-or-dir>  replay these scenario files instead of the built-in ones (repeatable;
                            directories are searched for .json files recursively, following
                            links, skipping node_modules, .git and dot-folders)
  --with-builtin            with --scenario: replay the built-in scenarios as well
  --target <module>         replay against your own channel instead of the project's: a .ts/.js
                            module whose default export is defineTarget({ name, channel, versions })
                            from bytebuf-leak-harness/scenarios (repeatable). Every scenario of the
                            target's channel (bbawc or rawc) runs against each of its versions,
                            judged by the expectation the version names (expectAs); the matrix has
                            a column <target>:<version> each. A .ts module needs the optional
                            TypeScript loader peer dependency; see "Test your own channel" in
                            scenarios/README.md
  --steps <module>          step types of your own for the scenario files: a module whose default
                            export is defineSteps({ name: { properties, required, defines, uses,
                            run } }) (repeatable); files using them are checked like any other
                            before anything runs. See "Steps of your own" in scenarios/README.md
  --filter <text>           replay only scenarios whose name contains <text> (repeatable: any)
  --level <level>           leak-tracking level: disabled, simple, advanced, paranoid (default:
                            $BYTEBUF_LEAK_DETECTION_LEVEL, else paranoid). Counts come from the exact
                            ledger at every level; a check that needs GC-path reports or records the
                            level does not make is shown as skipped, with the reason
  --timeout <duration>      time limit of each replay: 500ms, 30s, or a number of ms (default 60s);
                            a replay still running then fails at its step, and the next one runs
  --format <format>         stdout format: text (default) or json (stdout is then the JSON report
                            alone; the closing line and any annotations go to stderr)
  --json <file>             also write the JSON report to <file>
  --junit <file>            also write a JUnit XML report to <file> (one testcase per scenario and version)
  --shard <i>/<n>           replay only share i of n of the scenario×version runs (runs k with
                            k mod n = i-1, in plan order); merge the --json parts with
                            npx bytebuf-leak-tests merge part1.json part2.json ...
  --verbose                 also print the leak report of runs that leaked as expected
  -h, --help                print this text

Exit codes:
  0  every observed result equals the expected one
  1  a result differs, or a scenario left a timer, socket or other handle open
  2  usage error, a malformed scenario file (every other file still runs), or a --target or
     --steps module that fails to load, exports the wrong shape or whose factory throws (the
     other modules still run)

Open handles: after the last replay the runner waits up to 100 ms for timers, sockets and other
handles the scenarios created to close; each one still open fails the run that created it, with
its creation stack (project frames only), and the runner exits anyway.

Environment:
  BYTEBUF_LEAK_DETECTION_LEVEL  the default of --level
  GITHUB_ACTIONS=true       print ::error annotations at the failing scenario steps (at most 10),
                            and the full list to $GITHUB_STEP_SUMMARY when it is set
`;
