/**
 * `npm run soak`: reads the settings, runs the soak, prints the figures, the first failure (shrunk)
 * and the closing line, and returns the exit code. Streams and environment come in as arguments so
 * tests can drive it in-process.
 * @packageDocumentation
 */
import { DEFAULT_MAX_OPS, runSoak, type SoakChannels } from './core';
import { soakSettingsFromEnv, SoakUsageError } from './env';
import { closingLine, failureLines, figureLines, openingLine, progressLine } from './format';

/** How `npm run soak` ends. */
export enum SoakExitCode {
  /** Every sequence kept every invariant. */
  Passed = 0,
  /** At least one sequence broke one. */
  Failed = 1,
  /** A malformed `SOAK_SEQUENCES` or `SOAK_SEED`. */
  Usage = 2,
}

/** The outside world of one run. */
export interface SoakIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Channels to drive; the project's by default (tests pass broken ones). */
  channels?: SoakChannels;
}

/** Progress lines per run: one every tenth of the sequences. */
const PROGRESS_STEPS = 10;

/** Runs the soak as the CLI does and returns its exit code. */
export async function soakMain(io: SoakIo): Promise<SoakExitCode> {
  let settings;
  try {
    settings = soakSettingsFromEnv(io.env);
  } catch (e) {
    if (!(e instanceof SoakUsageError)) throw e;
    io.stderr.write(`${e.message}\n`);
    return SoakExitCode.Usage;
  }
  const { sequences, seed } = settings;
  const print = (line: string): unknown => io.stdout.write(`${line}\n`);
  print(openingLine(seed, sequences, DEFAULT_MAX_OPS));
  const started = performance.now();
  const result = await runSoak({
    sequences,
    seed,
    channels: io.channels,
    progressEvery: sequences >= 1000 ? Math.ceil(sequences / PROGRESS_STEPS) : 0,
    onProgress: (done, failures) => {
      if (done < sequences) print(progressLine(done, sequences, failures, performance.now() - started));
    },
  });
  for (const line of figureLines(result)) print(line);
  if (result.firstFailure !== null) for (const line of failureLines(result.firstFailure, seed)) print(line);
  print(closingLine(result.sequences, result.failures));
  return result.failures === 0 ? SoakExitCode.Passed : SoakExitCode.Failed;
}
