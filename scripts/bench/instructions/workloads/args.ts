/**
 * What every instruction-count workload shares: its command line, `<config as JSON> <n>`, and
 * how it ends. A workload does the same warm-up whatever `n` is, then `n` units of its work, so
 * the difference between two runs is `n2 - n1` units of steady-state work and nothing else.
 * @packageDocumentation
 */

/** The workload's configuration (parsed from JSON) and its unit count. */
export interface WorkloadArgs<C> {
  readonly config: C;
  readonly n: number;
}

/** Parses `[<config as JSON>, <n>]` (argv without node and the script). */
export function parseWorkloadArgs<C>(args: readonly string[]): WorkloadArgs<C> {
  if (args.length !== 2) throw new Error(`Expected 2 arguments, <config as JSON> <n>, got ${args.length}`);
  const n = Number(args[1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Expected <n> to be an integer >= 0, got '${args[1]}'`);
  return { config: JSON.parse(args[0]!) as C, n };
}

/**
 * Runs a workload's `main` with the process's arguments; a failure is printed on stderr (the
 * runner shows its tail) and exits 1.
 */
export function runWorkload<C>(main: (args: WorkloadArgs<C>) => void | Promise<void>): void {
  Promise.resolve()
    .then(() => main(parseWorkloadArgs<C>(process.argv.slice(2))))
    .then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error && error.stack !== undefined ? error.stack : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
