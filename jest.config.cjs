/** Jest runs the TypeScript sources through SWC (fast, no type-check: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' }, sourceMaps: 'inline' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The leak sanitizer (harness/jest): a test fails on leaked buffers, over-releases and timers left
  // open; the reporter prints the leak summary and fails the run on leaks. BYTEBUF_JEST_SANITIZER=off disables it.
  setupFilesAfterEnv: ['<rootDir>/harness/jest/setup.ts'],
  reporters: ['default', '<rootDir>/harness/jest/reporter.cjs'],
};
