/** The command line of `npm run netty-diff`. @packageDocumentation */

/** What a run does. */
export interface DiffOptions {
  readonly seed: number;
  readonly count: number;
  readonly maxOps: number;
  /** Divergent sequences shrunk and printed in full per kind. */
  readonly examples: number;
  readonly json: string | null;
  /** Run the sequences of this file (a JSON array, or one sequence per line) instead of generating. */
  readonly replay: string | null;
  /** Compare error messages (off with `--ignore-messages`: same class, same outcome). */
  readonly messages: boolean;
}

export const USAGE = 'usage: npm run netty-diff -- [--seed S] [--count N] [--max-ops M] [--examples K] [--json FILE] [--replay FILE] [--ignore-messages]';

export const DEFAULTS: DiffOptions = { seed: 1, count: 1000, maxOps: 24, examples: 1, json: null, replay: null, messages: true };

/** A command line the tool cannot run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_NETTY_DIFF_USAGE';
}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} expects an integer from ${min} to ${max}, got ${text === undefined ? 'nothing' : `'${text}'`}`);
  }
  return Number(text);
}

/** The integer flags: the option each sets and its range. */
const INTEGER_FLAGS: Readonly<Record<string, readonly ['seed' | 'count' | 'maxOps' | 'examples', number, number]>> = {
  '--seed': ['seed', 0, 0xffffffff],
  '--count': ['count', 1, 10_000_000],
  '--max-ops': ['maxOps', 1, 1000],
  '--examples': ['examples', 0, 1000],
};

/** Parses `argv` (the arguments after the script); throws `UsageError`. */
export function parseOptions(argv: readonly string[]): DiffOptions {
  const o: { -readonly [K in keyof DiffOptions]: DiffOptions[K] } = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const integerFlag = INTEGER_FLAGS[flag];
    if (integerFlag !== undefined) {
      const [key, min, max] = integerFlag;
      o[key] = integer(flag, value, min, max);
    } else if (flag === '--ignore-messages') {
      o.messages = false;
      i--; // a flag without a value
    } else if (flag === '--json' || flag === '--replay') {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} expects a file name`);
      if (flag === '--json') o.json = value;
      else o.replay = value;
    } else {
      throw new UsageError(`unknown argument '${flag}'`);
    }
  }
  return o;
}
