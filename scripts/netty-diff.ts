/**
 * `npm run netty-diff`: the differential test of the buffer model against real Netty 4.1 (see
 * `scripts/netty-diff/`). Needs `java`, `javac` and Debian's `libnetty-java` jars.
 *
 * Usage: npm run netty-diff -- [--seed S] [--count N] [--max-ops M] [--examples K] [--json FILE] [--replay FILE] [--ignore-messages]
 * Ends with `netty-diff: N sequences, D divergent`; exit 0 when D is 0, 1 otherwise, 2 on a usage error.
 */
import { nettyDiffMain } from './netty-diff/main';

nettyDiffMain({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    // Not process.exit(): stdout is a pipe in CI and must drain first.
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
