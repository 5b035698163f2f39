/**
 * A "full disk" for tests: writing to it fails with ENOSPC, as /dev/full does.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Makes a device like /dev/full (character device 1, 7) in `dir` and returns its path: a write
 * that wrongly renamed over a device could then only ever replace this one. Without the right
 * to make device nodes (not root), /dev/full itself, which such a process cannot replace either.
 */
export function fullDevice(dir: string): string {
  const device = path.join(dir, 'full');
  try {
    execFileSync('mknod', [device, 'c', '1', '7'], { stdio: 'ignore' });
    return device;
  } catch {
    return '/dev/full';
  }
}
