// The file to list in vitest's `setupFiles`: installs the leak sanitizer in every test file and
// registers the leak matchers on vitest's `expect`. Settings come from the environment, with the
// same variables as under jest: BYTEBUF_JEST_SANITIZER (fail | report | off), BYTEBUF_JEST_QUIESCE_MS,
// BYTEBUF_LEAK_DETECTION_LEVEL; BYTEBUF_JEST_LEAK_RECORDS_DIR is set by the leak reporter.
//
//   test: { setupFiles: ['bytebuf-leak-harness/vitest/setup'], reporters: ['default', 'bytebuf-leak-harness/vitest/reporter'] }
//
// Hand-written ESM (vitest's own modules are ESM-only); it imports the adapter by the package's
// own name, so the test files that import `bytebuf-leak-harness/vitest` share its instance.
import * as vitest from 'vitest';
import { installVitestSanitizer, sanitizerOptionsFromEnv } from 'bytebuf-leak-harness/vitest';

/**
 * getFn/setFn/getHooks/getCurrentSuite: from vitest's `TestRunner` class where its `setTestFn`
 * works, else from `vitest/suite`. vitest 4.1 deprecates `vitest/suite` (a warning on import), but
 * its `TestRunner.setTestFn` is `getFn` (4.1.12), so the import stays, without its warning.
 */
async function suiteApi() {
  const runner = vitest.TestRunner;
  if (runner !== undefined && runner.setTestFn !== runner.getTestFn && runner.getSuiteHooks !== undefined) {
    return { getFn: runner.getTestFn, setFn: runner.setTestFn, getHooks: runner.getSuiteHooks, getCurrentSuite: runner.getCurrentSuite };
  }
  const warn = console.warn;
  console.warn = (...args) => {
    if (!String(args[0]).startsWith('Importing from "vitest/suite" is deprecated')) warn(...args);
  };
  try {
    const { getFn, setFn, getHooks, getCurrentSuite } = await import('vitest/suite');
    return { getFn, setFn, getHooks, getCurrentSuite };
  } finally {
    console.warn = warn;
  }
}

const { beforeAll, beforeEach, expect } = vitest;
installVitestSanitizer({ beforeAll, beforeEach, expect, ...(await suiteApi()) }, sanitizerOptionsFromEnv());
