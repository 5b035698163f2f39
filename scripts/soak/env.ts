/**
 * The soak's settings, from the environment: `SOAK_SEQUENCES` (how many sequences, default
 * 100,000) and `SOAK_SEED` (fast-check's seed, default a fresh random one, printed so that a run
 * can be repeated). An empty variable counts as unset, as for the harness's own variables.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';

/** The default `SOAK_SEQUENCES`. */
export const DEFAULT_SEQUENCES = 100_000;

/** Largest seed accepted: fast-check's seeds are 32-bit integers. */
export const MAX_SEED = 0x7fffffff;

/** A malformed soak variable. The CLI prints its message as one line and exits 2. */
export class SoakUsageError extends HarnessError {
  override readonly name = 'SoakUsageError';
  readonly code = 'ERR_SOAK_USAGE';
}

/** What the environment asks for. */
export interface SoakSettings {
  sequences: number;
  seed: number;
}

/**
 * Reads the settings; `randomSeed` supplies the seed when `SOAK_SEED` is unset.
 * @throws SoakUsageError naming the variable, for a value that is not a decimal integer in range.
 */
export function soakSettingsFromEnv(env: NodeJS.ProcessEnv, randomSeed: () => number = defaultSeed): SoakSettings {
  return {
    sequences: integerVariable(env, 'SOAK_SEQUENCES', 1, Number.MAX_SAFE_INTEGER, 'a positive integer') ?? DEFAULT_SEQUENCES,
    seed: integerVariable(env, 'SOAK_SEED', 0, MAX_SEED, `an integer from 0 to ${MAX_SEED}`) ?? randomSeed(),
  };
}

function integerVariable(env: NodeJS.ProcessEnv, name: string, min: number, max: number, expected: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    throw new SoakUsageError(`Expected ${name} to be ${expected}, got '${raw}'`);
  }
  return value;
}

function defaultSeed(): number {
  return Math.floor(Math.random() * (MAX_SEED + 1));
}
