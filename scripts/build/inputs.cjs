// @ts-check
'use strict';
/**
 * What the build (scripts/build/build.ts) reads, as one digest: every file under the folders the
 * compiled package comes from, the package and TypeScript settings. The build writes it beside its
 * output, and `npm run leak-tests` (scripts/run-leak-tests.cjs) rebuilds when it differs. Plain
 * JavaScript: it must run before anything is compiled.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** Folders and files, relative to the package root, whose content the build depends on. */
const BUILD_INPUTS = ['harness', 'channel', 'scenarios/engine', 'scenarios/schema', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** Where the build writes the digest of its inputs (inside its output folder, left out of the package). */
const DIGEST_FILE = path.join('dist', '.build-inputs');

/** Every file under `relative` (a file or a folder), as sorted posix paths relative to `root`. */
function filesUnder(root, relative) {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'));
}

/** The digest of the build's inputs under `root`: the sorted paths and their bytes. */
function buildInputsDigest(root) {
  const hash = crypto.createHash('sha256');
  const files = BUILD_INPUTS.flatMap((input) => filesUnder(root, input)).sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

module.exports = { BUILD_INPUTS, DIGEST_FILE, buildInputsDigest };
