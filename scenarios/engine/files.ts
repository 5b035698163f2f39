/**
 * Finds the scenario files the given paths stand for: files as given, directories searched for
 * `.json` files recursively. Symbolic links to files and folders are followed, each real folder
 * walked once (a link back to an ancestor cannot loop). `node_modules`, `.git` and every other
 * dot-folder are skipped. What cannot be used (an unreadable folder, a broken link, a link loop,
 * a FIFO or another non-regular file) becomes an error for that path, and the search goes on.
 * @packageDocumentation
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

/** The file-system calls the search makes: injectable, so tests can make a folder unreadable even as root. */
export interface ScenarioFs {
  statSync(p: string): nodeFs.Stats;
  readdirSync(p: string, options: { withFileTypes: true }): nodeFs.Dirent[];
  realpathSync(p: string): string;
}

/** A path that cannot be used, with why (worded to follow `file: $: `). */
export interface FileFault {
  file: string;
  message: string;
}

/** Folders never searched: dependencies and version control (every dot-folder is skipped too). */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules'];

/** True for a folder name the search skips: `node_modules`, `.git` and any other dot-folder. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.includes(name);
}

function codeOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

/** What a non-regular, non-directory file is, in words. */
function kindOf(stat: nodeFs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Why `stat` of an entry failed, in words: a broken link, a link loop, or the error code. */
function statFault(e: unknown, isLink: boolean): string {
  const code = codeOf(e);
  if (code === 'ELOOP') return 'a symbolic link loop (ELOOP): it never reaches a file or folder';
  if (isLink && (code === 'ENOENT' || code === 'ENOTDIR')) return `a broken symbolic link: its target does not exist (${code})`;
  return `cannot be read (${code})`;
}

/** The message for a non-regular file given or found: it is not opened (a FIFO would block the run). */
export function notRegularFileMessage(stat: nodeFs.Stats): string {
  return `expected a scenario file, got ${kindOf(stat)}; it is not read`;
}

/** What a directory entry is once links are followed. */
type EntryKind = { kind: 'dir' } | { kind: 'file' } | { kind: 'other'; stat: nodeFs.Stats } | { kind: 'fault'; message: string };

function entryKind(fs: ScenarioFs, full: string, entry: nodeFs.Dirent): EntryKind {
  if (entry.isDirectory()) return { kind: 'dir' };
  if (entry.isFile()) return { kind: 'file' };
  let stat: nodeFs.Stats;
  try {
    stat = fs.statSync(full);
  } catch (e) {
    return { kind: 'fault', message: statFault(e, entry.isSymbolicLink()) };
  }
  if (stat.isDirectory()) return { kind: 'dir' };
  if (stat.isFile()) return { kind: 'file' };
  return { kind: 'other', stat };
}

function byName(a: nodeFs.Dirent, b: nodeFs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The `.json` files under `paths` (each directory's files sorted by path), without duplicates (the
 * same real file named twice is listed once), and a fault per path that cannot be used.
 */
export function findScenarioFiles(paths: readonly string[], fs: ScenarioFs = nodeFs): { files: string[]; faults: FileFault[] } {
  const files: string[] = [];
  const faults: FileFault[] = [];
  const walked = new Set<string>();
  const listed = new Set<string>();
  const realOf = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const addFile = (file: string): void => {
    const real = realOf(file);
    if (listed.has(real)) return;
    listed.add(real);
    files.push(file);
  };

  /** Walks `dir` (a directory not walked yet), collecting its `.json` files into `found`. */
  const walk = (dir: string, found: string[]): void => {
    walked.add(realOf(dir));
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      faults.push({ file: dir, message: `cannot read this directory (${codeOf(e)}); the scenario files in it were not loaded` });
      return;
    }
    for (const entry of [...entries].sort(byName)) {
      const full = path.join(dir, entry.name);
      const what = entryKind(fs, full, entry);
      if (what.kind === 'dir') {
        // A folder reached again through a link is not walked twice: no loop.
        if (!isSkippedFolder(entry.name) && !walked.has(realOf(full))) walk(full, found);
      } else if (what.kind === 'fault') {
        faults.push({ file: full, message: what.message });
      } else if (entry.name.endsWith('.json')) {
        if (what.kind === 'file') found.push(full);
        else faults.push({ file: full, message: notRegularFileMessage(what.stat) });
      }
    }
  };

  for (const p of paths) {
    let stat: nodeFs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      faults.push({ file: p, message: `expected a scenario file or directory, but it cannot be read (${codeOf(e)})` });
      continue;
    }
    if (stat.isDirectory()) {
      if (walked.has(realOf(p))) continue; // named twice, or inside a folder already walked
      const found: string[] = [];
      const faultsBefore = faults.length;
      walk(p, found);
      if (found.length === 0 && faults.length === faultsBefore) faults.push({ file: p, message: 'expected .json scenario files in this directory, found none' });
      for (const f of found.sort()) addFile(f);
    } else if (stat.isFile()) {
      addFile(p);
    } else {
      faults.push({ file: p, message: notRegularFileMessage(stat) });
    }
  }
  return { files, faults };
}
