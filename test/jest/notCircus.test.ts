/**
 * Outside jest-circus the sanitizer refuses to install, naming what it found and what to do. Run
 * in a child Node (through tsx), where no jest-circus state exists; the jasmine case plants the
 * global object jest-jasmine2 defines.
 */
import { execFileSync } from 'node:child_process';
import { ROOT } from './fixtureRunner';

/** The error `installLeakSanitizer()` throws in a plain Node process after `prelude` ran. */
function installError(prelude: string): string {
  const code = `${prelude}; try { require('./harness/jest/leakSanitizer').installLeakSanitizer(); console.log('installed'); } catch (e) { console.log(e.name + ' ' + e.code + ': ' + e.message); }`;
  return execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }).trim();
}

const FIX =
  "Remove testRunner from the jest config (or set it to 'jest-circus'), and load bytebuf-leak-harness/jest/setup from setupFilesAfterEnv (not setupFiles).";

test('under jest-jasmine2 it names jasmine and the fix', () => {
  expect(installError('globalThis.jasmine = {}')).toBe(
    "IllegalStateException ERR_ILLEGAL_STATE: The bytebuf leak sanitizer needs jest-circus, jest's default test runner (jest 29 or 30), but found jest-jasmine2 (a global 'jasmine' object). " +
      FIX,
  );
}, 60_000);

test('without any circus it names the two places it looked', () => {
  expect(installError('')).toBe(
    "IllegalStateException ERR_ILLEGAL_STATE: The bytebuf leak sanitizer needs jest-circus, jest's default test runner (jest 29 or 30), but found neither jest-circus 30's event handlers (globalThis[Symbol.for('EVENT_HANDLERS')]) nor a jest-circus state (globalThis[Symbol('JEST_STATE_SYMBOL')]). " +
      FIX,
  );
}, 60_000);
