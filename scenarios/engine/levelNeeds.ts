/**
 * Which checks the tracking level can decide. Leak and over-release counts come from the exact
 * ledger, which counts every buffer at any level; but GC-path `LEAK:` reports exist only for
 * buffers the level samples (none at `disabled`, about 1 in `samplingInterval` at `simple` and
 * `advanced`, all at `paranoid`), and records (creation sites, access paths) only at `advanced`
 * and `paranoid`. A check that needs what the level does not make is skipped, with the reason:
 * neither passed nor failed, and listed in every output.
 * @packageDocumentation
 */
import type { LeakDetectionSettings } from '../../harness';
import type { ScenarioData, Step } from './data';

/** What a check can need beyond the ledger. */
export type LevelNeed = 'gcReports' | 'records';

/** What a step needs from the level: `expectGcLeaks` needs GC reports, and records to match text beyond the `LEAK:` header. */
export function levelNeedsOf(step: Step): LevelNeed[] {
  if (step.step !== 'expectGcLeaks') return [];
  return step.contains !== undefined ? ['gcReports', 'records'] : ['gcReports'];
}

/** True when the level tracks every buffer (paranoid, or a sampling interval of 1). */
function samplesEvery(settings: Pick<LeakDetectionSettings, 'level' | 'samplingInterval'>): boolean {
  return settings.level === 'paranoid' || (settings.level !== 'disabled' && settings.samplingInterval === 1);
}

/** Why the level cannot provide `need`, or undefined when it can: `needs records: level simple keeps none`. */
export function unmetBecause(need: LevelNeed, settings: Pick<LeakDetectionSettings, 'level' | 'samplingInterval'>): string | undefined {
  const { level, samplingInterval } = settings;
  if (need === 'gcReports') {
    if (level === 'disabled') return 'needs GC-path reports: level disabled makes none';
    if (!samplesEvery(settings)) return `needs GC-path reports of every buffer: level ${level} samples about 1 in ${samplingInterval} buffers`;
    return undefined;
  }
  if (level === 'disabled' || level === 'simple') return `needs records: level ${level} keeps none`;
  if (!samplesEvery(settings)) return `needs records of every buffer: level ${level} keeps them for about 1 in ${samplingInterval} buffers`;
  return undefined;
}

/** Why `step` is skipped at these settings (its first unmet need), or undefined when it runs. */
export function skipReason(step: Step, settings: Pick<LeakDetectionSettings, 'level' | 'samplingInterval'>): string | undefined {
  for (const need of levelNeedsOf(step)) {
    const why = unmetBecause(need, settings);
    if (why !== undefined) return why;
  }
  return undefined;
}

/**
 * True when replaying `s` forces garbage collections (`collectGarbage` steps). A forced full
 * collection marks the whole heap, so a runner replays such scenarios before it has kept many
 * results (see scripts/leak-tests/run.ts).
 */
export function forcesCollection(s: { data: unknown }): boolean {
  return (s.data as ScenarioData).steps.some((step) => step.step === 'collectGarbage');
}
