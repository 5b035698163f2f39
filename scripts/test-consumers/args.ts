/**
 * The command line of `npm run test:consumers`.
 * @packageDocumentation
 */
import { ConsumerUsageError } from './errors';

/** What the command line asks for. */
export interface ConsumerArgs {
  /** Apps to run (`--only`, repeatable); empty: every app. */
  only: string[];
  /** A tarball to install instead of building and packing the repository (`--tarball`). */
  tarball: string | undefined;
  /** How many apps run at once (`--jobs`, 1 or 2). */
  jobs: number;
  /** Keep the temporary folder with the apps' copies (`--keep`), to look at a failure. */
  keep: boolean;
  help: boolean;
}

/** The usage text. */
export const USAGE = `Usage: npm run test:consumers -- [options]

Builds and packs the package, then installs the tarball into each app under test/consumers/
(a copy in a temporary folder: npm ci, npm install --no-save <tarball>), type-checks it and runs
its tests, checking the exit code and the output against the app's expect.json.

Options:
  --only <name>     run this app only (repeatable)
  --tarball <file>  install this tarball instead of building and packing the repository
  --jobs <n>        apps run at once: 1 or 2 (default 2)
  --keep            keep the temporary folder (its path is printed)
  --help            this text`;

function valueOf(argv: readonly string[], i: number, option: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new ConsumerUsageError(`${option} needs a value`);
  return value;
}

/** Parses the command line; throws a `ConsumerUsageError` for anything it does not know. */
export function parseConsumerArgs(argv: readonly string[]): ConsumerArgs {
  const args: ConsumerArgs = { only: [], tarball: undefined, jobs: 2, keep: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--only':
        args.only.push(valueOf(argv, i++, arg));
        break;
      case '--tarball':
        args.tarball = valueOf(argv, i++, arg);
        break;
      case '--jobs': {
        const value = valueOf(argv, i++, arg);
        if (value !== '1' && value !== '2') throw new ConsumerUsageError(`--jobs must be 1 or 2, got '${value}'`);
        args.jobs = Number(value);
        break;
      }
      case '--keep':
        args.keep = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new ConsumerUsageError(`unknown argument '${arg}' (see --help)`);
    }
  }
  return args;
}
