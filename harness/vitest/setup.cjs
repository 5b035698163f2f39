// `require('bytebuf-leak-harness/vitest/setup')`: the setup file is ESM (vitest's own modules are
// ESM-only) and is meant for vitest's `setupFiles`, which imports it. Required from CommonJS, it
// says so, instead of failing with a resolution error that names no cause.
'use strict';

/** The vitest setup file was required (CommonJS) instead of being listed in vitest's `setupFiles`. */
class VitestSetupLoadError extends Error {
  constructor() {
    super(
      "bytebuf-leak-harness/vitest/setup is an ES module for vitest's setupFiles " +
        "(test: { setupFiles: ['bytebuf-leak-harness/vitest/setup'] }); it cannot be required from CommonJS. " +
        "Under jest, use bytebuf-leak-harness/jest/setup in setupFilesAfterEnv.",
    );
    this.name = 'VitestSetupLoadError';
    this.code = 'ERR_VITEST_SETUP_REQUIRED';
  }
}

throw new VitestSetupLoadError();
