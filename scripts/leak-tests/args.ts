/**
 * `parseArgs(argv, env)`: the command line of `npm run leak-tests`, as a pure function (no I/O; the
 * environment comes in as an argument), so every usage error is unit-tested without a child process.
 * @packageDocumentation
 */
import { LEAK_LEVELS, type LeakLevel } from '../../harness';
import type { ChannelVersion } from './engine';
import { suggestion } from '../lib/suggest';
import { UsageError } from './errors';
import { parseShard, type Shard } from './shard';
import { CHANNEL_VERSIONS } from './versions';

/** Output format on stdout. */
export type OutputFormat = 'text' | 'json';

/** Everything a run needs from the command line. */
export interface LeakTestsOptions {
  /** Versions to replay (`--channel`, repeatable); empty: every version each scenario names. */
  channels: ChannelVersion[];
  /** Scenario files or directories (`--scenario`, repeatable); empty: the built-in scenarios. */
  scenarioPaths: string[];
  /** Target modules (`--target`, repeatable): replay against these channels instead of the project's ports. */
  targets: string[];
  /** Step type modules (`--steps`, repeatable): step types of the user's, for the scenario files. */
  steps: string[];
  /** Also run the built-in scenarios when `--scenario` is given (`--with-builtin`). */
  withBuiltin: boolean;
  /** Substrings of scenario names (`--filter`, repeatable): a scenario runs if its name contains any. */
  filters: string[];
  /** Format of stdout (`--format`). */
  format: OutputFormat;
  /** Where to write the JSON report (`--json`), besides stdout. */
  jsonFile?: string;
  /** Where to write the JUnit XML report (`--junit`). */
  junitFile?: string;
  /** Leak-tracking level of every replay (`--level`, else `BYTEBUF_LEAK_DETECTION_LEVEL`, else paranoid). */
  level: LeakLevel;
  /** Time limit of one replay, in ms (`--timeout`, default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs: number;
  /** The share of the runs to replay (`--shard i/n`); absent: all of them. */
  shard?: Shard;
  /** Also print the leak report of runs that passed with their expected leaks (`--verbose`). */
  verbose: boolean;
}

/** What the command line asks for. */
export type ParsedArgs = { command: 'help' } | { command: 'run'; options: LeakTestsOptions };

const FORMATS: readonly OutputFormat[] = ['text', 'json'];

/** The level when neither `--level` nor `BYTEBUF_LEAK_DETECTION_LEVEL` says: every buffer tracked, with records. */
export const DEFAULT_LEVEL: LeakLevel = 'paranoid';

/** The environment variable whose level is the runner's default (the harness's own setting). */
export const LEVEL_ENV = 'BYTEBUF_LEAK_DETECTION_LEVEL';

/** Time limit of one replay when `--timeout` is not given: a minute. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The longest `--timeout` (what a Node timer can wait: 2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Options that take a value, and what that value is (for messages). */
const VALUE_OPTIONS = {
  '--channel': 'a channel version',
  '--scenario': 'a file or directory',
  '--target': 'a module',
  '--steps': 'a module',
  '--filter': 'a text',
  '--format': 'a format',
  '--json': 'a file path',
  '--junit': 'a file path',
  '--level': 'a level',
  '--shard': 'i/n',
  '--timeout': 'a duration',
} as const;
type ValueOption = keyof typeof VALUE_OPTIONS;

const FLAG_OPTIONS = ['--with-builtin', '--verbose', '--help'] as const;
type FlagOption = (typeof FLAG_OPTIONS)[number];

const REPEATABLE: ReadonlySet<string> = new Set(['--channel', '--scenario', '--target', '--steps', '--filter']);

function isValueOption(name: string): name is ValueOption {
  return Object.prototype.hasOwnProperty.call(VALUE_OPTIONS, name);
}

function isFlagOption(name: string): name is FlagOption {
  return (FLAG_OPTIONS as readonly string[]).includes(name);
}

/** "Expected `--level` to be one of a, b, got `x`", the wording every choice option uses. */
function oneOf<T extends string>(option: string, allowed: readonly T[], value: string): T {
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`Expected \`${option}\` to be one of ${allowed.join(', ')}, got \`${value}\``);
}

/** `--timeout` in ms: `500ms`, `30s`, `1.5s`, or a bare number of ms; from 1 ms to {@link MAX_TIMEOUT_MS}. */
export function parseDuration(option: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const ms = m === null ? NaN : Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`Expected \`${option}\` to be a duration from 1ms to ${MAX_TIMEOUT_MS}ms, such as 500ms, 30s or 60000 (ms), got \`${value}\``);
  }
  return ms;
}

/** The level: `--level`, else the environment's `BYTEBUF_LEAK_DETECTION_LEVEL`, else {@link DEFAULT_LEVEL}. */
function levelOf(option: string | undefined, env: Readonly<Record<string, string | undefined>>): LeakLevel {
  if (option !== undefined) return oneOf('--level', LEAK_LEVELS, option);
  const fromEnv = env[LEVEL_ENV];
  return fromEnv === undefined || fromEnv === '' ? DEFAULT_LEVEL : oneOf(LEVEL_ENV, LEAK_LEVELS, fromEnv);
}

/**
 * Parses the arguments after the script name (`process.argv.slice(2)`). Accepts `--opt value` and
 * `--opt=value`; `-h` is `--help`. `env` gives the default level ({@link LEVEL_ENV}); `--level`
 * wins over it. Throws a {@link UsageError} whose message is the exact line the CLI prints.
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  const values = new Map<ValueOption, string[]>();
  const flags = new Set<FlagOption>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      throw new UsageError(`Unexpected argument \`${arg}\`: pass scenario files with \`--scenario <file-or-dir>\``);
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (isFlagOption(name)) {
      if (eq >= 0) throw new UsageError(`Expected \`${name}\` to have no value, got \`${arg.slice(eq + 1)}\``);
      if (flags.has(name)) throw new UsageError(`Expected \`${name}\` at most once, got it twice`);
      flags.add(name);
      continue;
    }
    if (!isValueOption(name)) throw new UsageError(`Unknown option \`${name}\`${suggestion(name, [...Object.keys(VALUE_OPTIONS), ...FLAG_OPTIONS])} (run with --help for the options)`);
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`Expected \`${name}\` to be followed by ${VALUE_OPTIONS[name]}, got ${next === undefined ? 'nothing' : `\`${next}\``}`);
      }
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`Expected \`${name}\` to be followed by ${VALUE_OPTIONS[name]}, got an empty value`);
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
    if (list.length > 1 && !REPEATABLE.has(name)) {
      throw new UsageError(`Expected \`${name}\` at most once, got \`${list.join('`, `')}\``);
    }
  }

  const single = (name: ValueOption): string | undefined => values.get(name)?.[0];
  const channels: ChannelVersion[] = [];
  for (const c of values.get('--channel') ?? []) {
    const v = oneOf('--channel', CHANNEL_VERSIONS, c);
    if (!channels.includes(v)) channels.push(v);
  }
  const timeout = single('--timeout');
  const options: LeakTestsOptions = {
    channels,
    scenarioPaths: values.get('--scenario') ?? [],
    targets: [...new Set(values.get('--target') ?? [])],
    steps: [...new Set(values.get('--steps') ?? [])],
    withBuiltin: flags.has('--with-builtin'),
    filters: values.get('--filter') ?? [],
    format: oneOf('--format', FORMATS, single('--format') ?? 'text'),
    level: levelOf(single('--level'), env),
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration('--timeout', timeout),
    verbose: flags.has('--verbose'),
  };
  const json = single('--json');
  if (json !== undefined) options.jsonFile = json;
  const junit = single('--junit');
  if (junit !== undefined) options.junitFile = junit;
  const shard = single('--shard');
  if (shard !== undefined) options.shard = parseShard(shard);
  if (options.withBuiltin && options.scenarioPaths.length === 0) {
    throw new UsageError('Expected `--with-builtin` together with `--scenario <file-or-dir>` (the built-in scenarios run by default)');
  }
  return { command: 'run', options };
}
