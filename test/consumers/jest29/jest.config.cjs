/** The two lines the harness asks for (setupFilesAfterEnv, reporters), and ts-jest for TypeScript. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFilesAfterEnv: ['bytebuf-leak-harness/jest/setup'],
  reporters: ['default', 'bytebuf-leak-harness/jest/reporter'],
};
