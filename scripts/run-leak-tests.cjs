#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run leak-tests`: the compiled runner (dist/scripts/cli.js, what `npx bytebuf-leak-tests`
 * runs), built first when dist/ is missing or older than the sources (see scripts/build/inputs.cjs).
 * The compiled runner starts in about half the CPU of the sources under tsx. Stack traces are
 * source-mapped, so sites name the TypeScript sources, as they do under tsx. The build's own output
 * goes to stderr: stdout carries only the runner's (`--format json` piped into another program).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { isBuildCurrent } = require('./build/inputs.cjs');
const { withBuildLock } = require('./build/buildLock.cjs');

const root = path.resolve(__dirname, '..');

/** Builds dist/ unless it is current; returns why the build failed, if it did. Called holding the build lock. */
function buildIfStale() {
  // Checked again under the lock: a run started at the same time may have just built it.
  if (isBuildCurrent(root)) return undefined;
  process.stderr.write('leak-tests: building dist/ first (the sources changed since the last build)\n');
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const built = spawnSync(process.execPath, [tsx, path.join(root, 'scripts', 'build', 'build.ts')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status === 0) return undefined;
  return `the build failed (${built.error?.message ?? `exit ${built.status ?? built.signal}`}): see its output above`;
}

if (!isBuildCurrent(root)) {
  let failure;
  try {
    failure = withBuildLock(root, buildIfStale, {
      onWait: (pid) => process.stderr.write(`leak-tests: waiting for the build of dist/ by ${pid === undefined ? 'another process' : `process ${pid}`}\n`),
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined) {
    process.stderr.write(`leak-tests: ${failure}\n`);
    process.exit(2);
  }
}

process.setSourceMapsEnabled(true);
require('../dist/scripts/cli.js');
