/**
 * Jest loads reporters with require(), outside its transform, and Node 20 cannot load TypeScript:
 * this shim loads reporter.ts through tsx (a dependency), without registering tsx globally.
 */
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./reporter.ts', __filename).LeakReporter;
