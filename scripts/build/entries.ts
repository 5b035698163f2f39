/**
 * The one table of the package's entry points: the build compiles these sources and writes an ESM
 * wrapper for each, and the `exports` map of package.json is generated from it and checked
 * against it (`npm run build` fails when they differ; `tsx scripts/build/build.ts --write-exports`
 * rewrites it). Adding an entry is adding a row.
 * @packageDocumentation
 */

/** One entry point of the package. */
export interface Entry {
  /** The `exports` subpath (`.`, `./jest/reporter`). */
  readonly subpath: string;
  /**
   * The source, relative to the package root: a `.ts` file (compiled to CommonJS, with an ESM
   * wrapper), or a hand-written `.mjs` file (copied as it is, with the `.d.mts` beside it if any).
   */
  readonly source: string;
}

/** The entry points, in the order of the `exports` map. */
export const ENTRIES: readonly Entry[] = [
  { subpath: '.', source: 'harness/index.ts' },
  { subpath: './channel', source: 'channel/index.ts' },
  { subpath: './scenarios', source: 'scenarios/engine/index.ts' },
  { subpath: './jest', source: 'harness/jest/index.ts' },
  { subpath: './jest/setup', source: 'harness/jest/setup.ts' },
  { subpath: './jest/reporter', source: 'harness/jest/reporter.ts' },
  { subpath: './vitest', source: 'harness/vitest/index.ts' },
  { subpath: './vitest/setup', source: 'harness/vitest/setup.mjs' },
  { subpath: './vitest/reporter', source: 'harness/vitest/reporter.ts' },
  { subpath: './node-test', source: 'harness/node-test/index.ts' },
  { subpath: './mocha', source: 'harness/mocha/index.ts' },
];

/** The commands of `bin`: name and source (compiled like an entry, without an ESM wrapper). */
export const BINS: Readonly<Record<string, string>> = {
  'bytebuf-leak-tests': 'scripts/cli.ts',
};

/** Where the build writes. */
export const OUT_DIR = 'dist';
