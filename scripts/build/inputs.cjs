// @ts-check
'use strict';
/**
 * What the build (scripts/build/build.ts) reads, as one digest: every file under the folders the
 * compiled package comes from, the package and TypeScript settings. The build writes it beside its
 * output, and `npm run leak-tests` (scripts/run-leak-tests.cjs) rebuilds when it differs. Plain
 * JavaScript: it must run before anything is compiled.
 */
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

/** Every input file under `root`, sorted. */
function inputFiles(root) {
  return BUILD_INPUTS.flatMap((input) => filesUnder(root, input)).sort();
}

/** The digest of the build's inputs under `root`: the sorted paths and their bytes. */
function buildInputsDigest(root) {
  // Loaded only here: starting OpenSSL costs about as much as the rest of the check.
  const hash = require('node:crypto').createHash('sha256');
  for (const file of inputFiles(root)) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * A cheap stand-in for the digest: the paths, sizes and modification times of the inputs, as one
 * line of JSON (compared as text, not hashed). Equal signatures mean unchanged inputs, as `make`
 * trusts them; a different one (a checkout, a touch) only means the digest must be computed to know.
 */
function buildInputsSignature(root) {
  return JSON.stringify(
    inputFiles(root).map((file) => {
      const stat = fs.statSync(path.join(root, file));
      return `${file} ${stat.size} ${stat.mtimeMs}`;
    }),
  );
}

/** The text of the digest file: the digest, then the signature it was computed with. */
function digestFileText(root) {
  return `${buildInputsDigest(root)}\n${buildInputsSignature(root)}\n`;
}

/**
 * True when the build's output under `root` was made from the inputs there now: the digest file's
 * signature matches (no file read), or else its digest does (the signature is then brought up to
 * date, so the next check reads no file either).
 */
function isBuildCurrent(root) {
  let recorded;
  try {
    recorded = fs.readFileSync(path.join(root, DIGEST_FILE), 'utf8').split('\n');
  } catch {
    return false;
  }
  const [digest, signature] = recorded;
  if (signature !== undefined && signature === buildInputsSignature(root)) return true;
  if (digest !== buildInputsDigest(root)) return false;
  fs.writeFileSync(path.join(root, DIGEST_FILE), digestFileText(root));
  return true;
}

module.exports = { BUILD_INPUTS, DIGEST_FILE, buildInputsDigest, buildInputsSignature, digestFileText, isBuildCurrent };
