/**
 * `npm run soak`: at least 100,000 seeded random operation sequences against the channels, with
 * exact leak, over-release, acknowledgement and byte-count checks (see `scripts/soak/`).
 *
 * Usage: [SOAK_SEQUENCES=n] [SOAK_SEED=s] npm run soak
 * Ends with `soak: N sequences, F failures`; exit 0 only when F is 0, 2 for a malformed variable.
 */
import { soakMain } from './soak/main';

soakMain({ stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    // Not process.exit(): stdout is a pipe in CI and must drain first.
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
