/** The two lines the harness asks for (setupFilesAfterEnv, reporters), and SWC for TypeScript. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' }, sourceMaps: 'inline' }],
  },
  setupFilesAfterEnv: ['bytebuf-leak-harness/jest/setup'],
  reporters: ['default', 'bytebuf-leak-harness/jest/reporter'],
};
