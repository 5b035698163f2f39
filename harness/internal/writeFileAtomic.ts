/**
 * @internal Writes a report file so that no reader ever sees half of it: the text goes to a
 * temporary file beside the target (same directory, so the rename cannot cross file systems),
 * which is flushed and then renamed over the target. On any failure the temporary file is removed
 * and the error is rethrown; the target keeps its old content, or stays absent.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/** Writes `text` to `file` atomically; creates missing parent directories. Throws the fs error. */
export function writeFileAtomic(file: string, text: string): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${++counter}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx');
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // Already failing: the first error is the one to report.
      }
    }
    rmSync(temp, { force: true });
    throw error;
  }
}
