// @ts-check
'use strict';
/**
 * One build of dist/ at a time in a checkout. `npm run leak-tests` started twice at once (two gate
 * jobs in one workspace, a gate beside a watch loop) would otherwise both rebuild dist/ when the
 * sources changed, and one build would delete or chmod files the other was writing
 * (`ENOENT: no such file or directory, chmod 'dist/scripts/cli.js'`). The lock is a file created
 * exclusively, holding the owner's pid; a lock whose process has ended is taken over. Plain
 * JavaScript: it runs before anything is compiled.
 */
const fs = require('node:fs');
const path = require('node:path');

/** The lock file, relative to the package root (beside dist/, which a build may delete). */
const LOCK_FILE = '.build-lock';

/** A lock held for longer than this by a live process is reported, not waited for (a build takes seconds). */
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 50;
/** A lock file still without a pid after this long was left by a process that died creating it. */
const UNWRITTEN_STALE_MS = 5_000;

/** Thrown when another live process holds the lock past the timeout. Stable `name` and `code`. */
class BuildLockTimeoutError extends Error {
  /**
   * @param {string} file the lock file
   * @param {number | undefined} pid the process holding it, when its file says
   * @param {number} timeoutMs how long this process waited
   */
  constructor(file, pid, timeoutMs) {
    super(`${file}: held by ${pid === undefined ? 'another process' : `process ${pid}`} for more than ${timeoutMs} ms; if no build is running, delete the file`);
    this.name = 'BuildLockTimeoutError';
    this.code = 'ERR_BUILD_LOCK_TIMEOUT';
    this.file = file;
    this.pid = pid;
  }
}

/** @param {number} pid @returns {boolean} whether a process with this pid exists */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/** @param {string} file @returns {number | undefined} the pid a lock file names, if it names one */
function ownerOf(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // gone meanwhile, or not written yet
  }
}

/** @param {string} file @returns {number} how long ago the file was last written (0 if it is gone) */
function ageMs(file) {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** @param {number} ms */
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `fn` while holding the build lock of `root`, waiting for another live holder first; returns
 * what `fn` returns. The lock is removed afterwards, also when `fn` throws.
 * @template T
 * @param {string} root the package root
 * @param {() => T} fn
 * @param {{ timeoutMs?: number, onWait?: (pid: number | undefined) => void }} [options]
 *   `onWait` is called once, when the lock is found held by a live process
 * @returns {T}
 */
function withBuildLock(root, fn, options = {}) {
  const file = path.join(root, LOCK_FILE);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    const pid = ownerOf(file);
    if (pid !== undefined ? !isAlive(pid) : ageMs(file) > UNWRITTEN_STALE_MS) {
      // Its process ended without removing it (killed mid-build, or before it wrote its pid):
      // take it over. Two waiters doing so at the same instant could both build; that fails
      // loudly, as two builds did before this lock, and never runs a half-written dist/ silently.
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new BuildLockTimeoutError(file, pid, timeoutMs);
    if (!waited) options.onWait?.(pid);
    waited = true;
    sleepSync(POLL_MS);
  }
  try {
    return fn();
  } finally {
    if (ownerOf(file) === process.pid) fs.rmSync(file, { force: true });
  }
}

module.exports = { LOCK_FILE, BuildLockTimeoutError, withBuildLock };
