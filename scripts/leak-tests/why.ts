/**
 * A second opinion on open handles from why-is-node-running. It only sees handles created after it
 * is imported (it records them with its own async hook), and it is ESM-only and costs an import, so
 * the runner loads it only when its own tracker found handles left open, replays the runs that
 * left them once more, and asks it which handles keep the process alive. Under tsx its line
 * numbers come out as `file.ts:1` (it reads raw V8 call sites, which tsx's source maps do not
 * touch), so only its handle types and project files are used; locations come from the tracker.
 * @packageDocumentation
 */
import * as path from 'node:path';
import { projectFrames, type ProjectFrameFilter } from './handles';

/** A handle why-is-node-running lists, with the project files on its creation stack. */
export interface WhyHandle {
  type: string;
  files: string[];
}

/**
 * Parses why-is-node-running's output (`# Type` headers followed by `file:line[ - source]` lines)
 * and keeps the handles whose stack has a project file.
 */
export function parseWhyIsNodeRunning(lines: readonly string[], filter: ProjectFrameFilter): WhyHandle[] {
  const handles: WhyHandle[] = [];
  let current: WhyHandle | null = null;
  for (const line of lines) {
    if (line.startsWith('# ')) {
      current = { type: line.slice(2).trim(), files: [] };
      handles.push(current);
      continue;
    }
    const m = /^(\S+):(\d+)(?:\s|$)/.exec(line);
    if (current === null || m === null) continue;
    const absolute = path.resolve(m[1]!);
    // Reuse the tracker's filter by giving the location a stack-frame shape.
    const frames = projectFrames(`    at ${absolute}:${m[2]}:1`, filter);
    for (const f of frames) if (!current.files.includes(f.file)) current.files.push(f.file);
  }
  return handles.filter((h) => h.files.length > 0);
}

/** How long the second replay may take: handles are usually made early, and a stuck step must not double the run. */
export const WHY_REPLAY_MAX_MS = 1000;

/**
 * Imports why-is-node-running, runs `replay` (which recreates the handles) for at most `maxMs`,
 * then returns what it reports, cut to project code. Returns null if it cannot be loaded or if it
 * fails (it never throws: a second opinion must not take the runner down). A replay still running
 * after `maxMs` is left behind: the runner exits right after its report.
 */
export async function whyIsNodeRunningAfter(
  replay: () => Promise<void>,
  filter: ProjectFrameFilter,
  maxMs = WHY_REPLAY_MAX_MS,
): Promise<WhyHandle[] | null> {
  // Its type spelled out: a type query of an ESM-only package from this CommonJS module would
  // need a resolution-mode attribute, which the compiled build checks and SWC does not parse.
  let why: (logger: { error(message: string): void }) => void;
  try {
    why = (await import('why-is-node-running')).default;
  } catch {
    return null;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([replay(), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
  clearTimeout(timer);
  const lines: string[] = [];
  try {
    why({ error: (message: string) => lines.push(message) });
  } catch {
    // It throws on a call site without a file name (code made by `new Function` or `eval`), part
    // way through its list: no second opinion then; the tracker's own result stands.
    return null;
  }
  return parseWhyIsNodeRunning(lines, filter);
}
