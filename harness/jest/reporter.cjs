/**
 * This repository's own jest config loads the reporter from its TypeScript source: jest loads
 * reporters with require(), outside its transform, and Node 20 cannot load TypeScript, so this
 * shim loads reporter.ts through tsx (a dev dependency), without registering tsx globally.
 *
 * It is not part of the package: `bytebuf-leak-harness/jest/reporter` is the compiled reporter
 * (dist/harness/jest/reporter.js), which needs no TypeScript loader.
 */
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./reporter.ts', __filename).LeakReporter;
