/**
 * Writing the report files of the commands (`--json`, `--junit`, `--output`): never half written.
 * A regular file is replaced atomically (temporary file beside it, then a rename), so a reader
 * sees the old report or the new one, and a failed write leaves no truncated file and no
 * temporary file. A device or a pipe (`/dev/stdout`, a FIFO) is written in place: a rename would
 * replace the device itself.
 * @packageDocumentation
 */
import { realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { writeFileAtomic } from '../../harness/internal/writeFileAtomic';

/** Writes `text` to `file`; throws the file-system error. */
export function writeReportFile(file: string, text: string): void {
  const existing = statOrNull(file);
  if (existing === null || existing.isDirectory()) {
    writeFileAtomic(file, text);
  } else if (existing.isFile()) {
    // Through a symbolic link: replace the file it points at, not the link.
    writeFileAtomic(realpathSync(file), text);
  } else {
    writeFileSync(file, text);
  }
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

/**
 * What went wrong, without the paths Node's message carries (they name the temporary file, which
 * changes from run to run): `ENOSPC: no space left on device`, `EISDIR: illegal operation on a
 * directory`; a parent directory that cannot be made is named (`cannot create the directory
 * \`out\`: EEXIST: file already exists` when a file is in the way). Not a system error: its message.
 */
export function describeWriteError(error: unknown): string {
  // Not `instanceof Error`: an fs error can come from another realm (a jest sandbox).
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return String(error);
  const { message, code, syscall, path } = error as NodeJS.ErrnoException;
  if (code === undefined || syscall === undefined) return message;
  const at = message.indexOf(`, ${syscall}`);
  const what = at > 0 ? message.slice(0, at) : message;
  return syscall === 'mkdir' && path !== undefined ? `cannot create the directory \`${path}\`: ${what}` : what;
}
