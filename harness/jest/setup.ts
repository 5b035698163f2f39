/**
 * The file to list in jest's `setupFilesAfterEnv`: installs the leak sanitizer in every test file
 * (settings from the environment, see `options.ts`) and registers the leak matchers.
 *
 * ```js
 * setupFilesAfterEnv: ['<rootDir>/harness/jest/setup.ts'],
 * ```
 * With `BYTEBUF_JEST_SANITIZER=off` only the matchers are registered.
 * @packageDocumentation
 */
import { installLeakSanitizer } from './leakSanitizer';
import { leakMatchers } from './leakMatchers';
import { sanitizerOptionsFromEnv } from '../sanitizer/options';

expect.extend(leakMatchers);
installLeakSanitizer(sanitizerOptionsFromEnv());
