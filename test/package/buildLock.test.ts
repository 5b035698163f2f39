/**
 * The build lock (scripts/build/buildLock.cjs): two `npm run leak-tests` started at once in one
 * checkout must not rebuild dist/ at the same time, a lock left by a killed build must not block
 * the next one, and a lock held too long is an error that names the file and the holder.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Plain JavaScript (it runs before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LOCK_FILE, BuildLockTimeoutError, withBuildLock } = require('../../scripts/build/buildLock.cjs') as {
  LOCK_FILE: string;
  BuildLockTimeoutError: new (...args: never[]) => Error & { code: string; file: string; pid: number | undefined };
  withBuildLock<T>(root: string, fn: () => T, options?: { timeoutMs?: number; onWait?: (pid: number | undefined) => void }): T;
};

const LOCK_MODULE = path.resolve(__dirname, '../../scripts/build/buildLock.cjs');

/**
 * A child that takes the lock, appends `start <name>` to `log`, holds the lock until `log` says
 * `holdUntil` (at most 30 s), then appends `end <name>`; `waited <name>` when it finds the lock held.
 */
function contender(root: string, log: string, name: string, holdUntil?: string): Promise<number | null> {
  const script = `
    const fs = require('fs');
    const { withBuildLock } = require(${JSON.stringify(LOCK_MODULE)});
    const log = ${JSON.stringify(log)};
    const holdUntil = ${JSON.stringify(holdUntil ?? null)};
    withBuildLock(${JSON.stringify(root)}, () => {
      fs.appendFileSync(log, 'start ${name}\\n');
      for (let i = 0; i < 600 && holdUntil !== null && !fs.readFileSync(log, 'utf8').includes(holdUntil); i++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
      fs.appendFileSync(log, 'end ${name}\\n');
    }, { onWait: () => fs.appendFileSync(log, 'waited ${name}\\n') });
  `;
  return new Promise((resolve) => spawn(process.execPath, ['-e', script], { stdio: 'inherit' }).on('exit', resolve));
}

/** A pid no process has: one of a child that has exited. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the build lock', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-lock-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is a file beside dist/, removed after the work, also when the work throws', () => {
    expect(LOCK_FILE).toBe('.build-lock');
    const lock = path.join(root, LOCK_FILE);
    expect(withBuildLock(root, () => fs.readFileSync(lock, 'utf8'))).toBe(`${process.pid}\n`);
    expect(fs.existsSync(lock)).toBe(false);
    expect(() => withBuildLock(root, () => { throw new Error('build failed'); })).toThrow('build failed');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('lets two processes build one after the other, never at once', async () => {
    const log = path.join(root, 'log');
    fs.writeFileSync(log, '');
    // The first holds the lock until the second has found it held.
    const first = contender(root, log, 'a', 'waited b');
    for (let i = 0; i < 1200 && !fs.readFileSync(log, 'utf8').includes('start a'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const second = contender(root, log, 'b');
    expect(await Promise.all([first, second])).toEqual([0, 0]);
    expect(fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['start a', 'waited b', 'end a', 'start b', 'end b']);
    expect(fs.existsSync(path.join(root, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('takes over a lock whose process has ended, without waiting', () => {
    fs.writeFileSync(path.join(root, LOCK_FILE), `${endedPid()}\n`);
    const waits: Array<number | undefined> = [];
    expect(withBuildLock(root, () => 'built', { onWait: (pid) => waits.push(pid) })).toBe('built');
    expect(waits).toEqual([]);
  });

  it('takes over a lock file left empty for more than 5 s (its process died before writing its pid)', () => {
    const lock = path.join(root, LOCK_FILE);
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 6000);
    fs.utimesSync(lock, old, old);
    expect(withBuildLock(root, () => 'built', { timeoutMs: 60_000 })).toBe('built');
  });

  it('fails with the file and the live holder named when it is held past the timeout', () => {
    const lock = path.join(root, LOCK_FILE);
    fs.writeFileSync(lock, `${process.pid}\n`); // this process is alive: the lock stays held
    const waits: Array<number | undefined> = [];
    let error: unknown;
    try {
      withBuildLock(root, () => 'never', { timeoutMs: 200, onWait: (pid) => waits.push(pid) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuildLockTimeoutError);
    expect(error).toMatchObject({
      name: 'BuildLockTimeoutError',
      code: 'ERR_BUILD_LOCK_TIMEOUT',
      file: lock,
      pid: process.pid,
      message: `${lock}: held by process ${process.pid} for more than 200 ms; if no build is running, delete the file`,
    });
    expect(waits).toEqual([process.pid]);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`); // someone else's lock is left alone
  });
});
