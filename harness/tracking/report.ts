/**
 * Leak reports from a scope: counts, bytes, leaks grouped by creation site with `xN`, the path each
 * leaked buffer took (records, newest first), memory ownership, misuses, a one-line summary, and a
 * JSON form with the same content. Built in the style of LeakSanitizer (grouped, counted, one
 * summary line) and Deno's sanitizers (what leaked, where it was made, how to fix it).
 * @packageDocumentation
 */
import { HarnessError } from '../errors';
import type { LeakScope } from './LeakScope';
import type { BufferKind, LeakTracker, OperationCounts, RecordKind } from './LeakTracker';
import { formatFrame, formatQuotedFrame, userFrames, type StackFrameInfo } from './stack';

export type { StackFrameInfo };

/** One record of a leaked buffer's path. */
export interface LeakRecordInfo {
  kind: RecordKind;
  refCnt: number;
  hint?: string;
  at: StackFrameInfo[];
}

/** One leaked buffer. */
export interface LeakedBuffer {
  id: number;
  kind: BufferKind;
  /** Bytes: its capacity; for a composite, the capacity of the components it holds. */
  capacity: number;
  /** The count it was left at. */
  refCnt: number;
  /** False for wrappers: the leak holds a view of the caller's memory, not memory of its own. */
  ownsMemory: boolean;
  /** Where it was made (user frames, innermost first); empty when stacks were off. */
  createdAt: StackFrameInfo[];
  /** Its path, newest first. */
  records: LeakRecordInfo[];
  droppedRecords: number;
  /**
   * With `BYTEBUF_LEAK_RECORDS=ends`: the operations counted, not recorded, by kind in order of
   * first occurrence (absent with every record kept).
   */
  notRecorded?: OperationCount[];
  /** For a composite: the live buffers it holds, counted with it, not as leaks of their own. */
  components: LeakedBuffer[];
  /** For a resource tracked with `track()` (kind `resource`): what it is and how it is released. */
  resource?: { kind: string; release: string };
}

/** How many operations of one kind a buffer had that were counted, not recorded. */
export interface OperationCount {
  kind: RecordKind;
  count: number;
}

/** Leaks made at the same site (same creation stack). */
export interface LeakGroup {
  /** `fn (file:line:col)` of the innermost user frame, or a placeholder when stacks were off. */
  site: string;
  /** The innermost user frame (for annotations); absent when stacks were off. */
  siteFrame?: StackFrameInfo;
  count: number;
  bytes: number;
  buffers: LeakedBuffer[];
}

/** An over-release or use after free seen in the scope. */
export interface MisuseInfo {
  kind: 'over-release' | 'retain-after-free' | 'use-after-free';
  message: string;
  bufferId?: number;
  at: StackFrameInfo[];
}

/** Everything a scope's check found. */
export interface LeakReport {
  scope: string;
  leakCount: number;
  leakBytes: number;
  groups: LeakGroup[];
  misuses: MisuseInfo[];
  /** False when stacks were not captured: sites are unknown. */
  stacksCaptured: boolean;
  /** `N leak(s), B byte(s) in scope '<name>'` (plus misuses when there are any). */
  summary: string;
}

const NO_SITE = '<unknown site: set BYTEBUF_LEAK_DETECTION_LEVEL=paranoid to record creation sites>';

/** The counts of `BYTEBUF_LEAK_RECORDS=ends`, in order of first occurrence. */
export function operationCounts(counts: OperationCounts): OperationCount[] {
  return (Object.keys(counts) as RecordKind[]).map((kind) => ({ kind, count: counts[kind]! }));
}

/**
 * `retain x2, touch x1 not recorded (records: ends; ...)`: the line that says which operations
 * `BYTEBUF_LEAK_RECORDS=ends` counted instead of recording.
 */
export function notRecordedText(counts: readonly OperationCount[]): string {
  const setting = 'records: ends; BYTEBUF_LEAK_RECORDS=all records them';
  if (counts.length === 0) return `no operation since its creation (${setting})`;
  return `${counts.map((c) => `${c.kind} x${c.count}`).join(', ')} not recorded (${setting})`;
}

function describeBuffer(t: LeakTracker, byHolder: Map<LeakTracker, LeakTracker[]>): LeakedBuffer {
  const records = (t.records ?? [])
    .map((r) => ({ kind: r.kind, refCnt: r.refCnt, ...(r.hint !== undefined ? { hint: r.hint } : {}), at: userFrames(r.stack) }))
    .reverse();
  const components = (byHolder.get(t) ?? []).map((c) => describeBuffer(c, byHolder));
  return {
    id: t.id,
    kind: t.kind,
    // A composite's bytes are its components' (counted with it, not on their own).
    capacity: t.capacity + components.reduce((n, c) => n + c.capacity, 0),
    refCnt: t.refCnt,
    ownsMemory: t.ownsMemory,
    createdAt: userFrames(t.createdAt),
    records,
    droppedRecords: t.droppedRecords,
    ...(t.notRecorded !== null ? { notRecorded: operationCounts(t.notRecorded) } : {}),
    components,
    ...(t.resource !== null ? { resource: { kind: t.resource.kind, release: t.resource.release } } : {}),
  };
}

/** `N leak(s), B byte(s) in scope 'name'`, LeakSanitizer's one line. */
export function summaryLine(scope: string, leakCount: number, leakBytes: number, misuses = 0): string {
  const base = `${leakCount} leak(s), ${leakBytes} byte(s) in scope '${scope}'`;
  return misuses > 0 ? `${base}; ${misuses} over-release(s) or use(s) after free` : base;
}

/**
 * Builds the report of a scope's live buffers (or of `trackers`, e.g. those since a checkpoint).
 * A buffer held by a live composite is listed under it and not counted on its own.
 */
export function buildLeakReport(scope: LeakScope, trackers: LeakTracker[] = scope.live(), misuses = scope.misuses): LeakReport {
  const live = new Set(trackers);
  const byHolder = new Map<LeakTracker, LeakTracker[]>();
  const top: LeakTracker[] = [];
  for (const t of trackers) {
    const holder = t.heldBy;
    if (holder !== null && !holder.closed && live.has(holder)) {
      const list = byHolder.get(holder) ?? [];
      list.push(t);
      byHolder.set(holder, list);
    } else {
      top.push(t);
    }
  }
  const groups = new Map<string, LeakGroup>();
  for (const t of top) {
    const buffer = describeBuffer(t, byHolder);
    const key = buffer.createdAt.map(formatFrame).join('\n') || NO_SITE;
    let g = groups.get(key);
    if (g === undefined) {
      const siteFrame = buffer.createdAt[0];
      g = { site: siteFrame !== undefined ? formatFrame(siteFrame) : NO_SITE, count: 0, bytes: 0, buffers: [] };
      if (siteFrame !== undefined) g.siteFrame = siteFrame;
      groups.set(key, g);
    }
    g.count++;
    g.bytes += buffer.capacity;
    g.buffers.push(buffer);
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || b.bytes - a.bytes);
  const leakBytes = sorted.reduce((n, g) => n + g.bytes, 0);
  const misuseInfos: MisuseInfo[] = misuses.map((m) => ({
    kind: m.kind,
    message: m.message,
    ...(m.bufferId !== undefined ? { bufferId: m.bufferId } : {}),
    at: userFrames(m.at),
  }));
  return {
    scope: scope.name,
    leakCount: top.length,
    leakBytes,
    groups: sorted,
    misuses: misuseInfos,
    stacksCaptured: top.some((t) => t.createdAt !== null),
    summary: summaryLine(scope.name, top.length, leakBytes, misuseInfos.length),
  };
}

const KIND_TEXT: Record<BufferKind, string> = {
  heap: 'heap buffer',
  direct: 'direct buffer',
  'heap-wrapper': 'wrapper of a heap ByteBuffer or array',
  'direct-wrapper': 'wrapper of a direct ByteBuffer',
  composite: 'composite buffer',
  resource: 'tracked resource',
};

/** What a leaked entry is: its buffer kind, or a tracked resource's own kind. */
function entryText(b: LeakedBuffer): string {
  return b.resource !== undefined ? `tracked resource '${b.resource.kind}'` : KIND_TEXT[b.kind];
}

/** The fix of a leaked entry: its kind's, or a tracked resource's own release. */
function entryHint(b: LeakedBuffer): string {
  return b.resource !== undefined ? `Release the tracked resource when done with it: call ${b.resource.release}.` : fixHint(b.kind);
}

/** The usual fix for a leak of this kind (Deno's per-kind hint). */
export function fixHint(kind: BufferKind): string {
  if (kind === 'resource') {
    return 'Release the tracked resource when done with it, as named when it was tracked (track(resource, { release })).';
  }
  if (kind === 'heap-wrapper' || kind === 'direct-wrapper') {
    return 'The owner of a wrapper releases it: whoever called Unpooled.wrappedBuffer() must call release() once the wrapper is no longer used (it never frees the caller\'s memory, but an unreleased wrapper keeps it reachable).';
  }
  if (kind === 'composite') {
    return 'Release the composite when done: releasing it releases each component once.';
  }
  return 'Release the buffer when done with it: in the write callback, or in a try/finally around its use.';
}

function indentFrames(frames: StackFrameInfo[], indent: string): string[] {
  return frames.map((f) => formatQuotedFrame(f, indent));
}

function bufferLines(b: LeakedBuffer, indent: string): string[] {
  if (b.resource !== undefined) return [`${indent}resource #${b.id}: ${entryText(b)}, ${b.capacity} bytes, not released: call ${b.resource.release}`];
  const owns = b.ownsMemory ? 'owns its memory' : "wraps the caller's memory (owns none)";
  const lines = [`${indent}buffer #${b.id}: ${KIND_TEXT[b.kind]}, ${b.capacity} bytes, left at refCnt ${b.refCnt}, ${owns}`];
  if (b.records.length > 0) {
    lines.push(`${indent}  path (newest first):`);
    b.records.forEach((r, i) => {
      const hint = r.hint !== undefined ? ` "${r.hint}"` : '';
      lines.push(`${indent}    #${i + 1}: ${r.kind}${hint} -> refCnt ${r.refCnt}`);
      lines.push(...indentFrames(r.at.slice(0, 3), `${indent}        `));
    });
    if (b.droppedRecords > 0) {
      lines.push(`${indent}    (${b.droppedRecords} older record(s) dropped; raise BYTEBUF_LEAK_DETECTION_TARGET_RECORDS to keep more)`);
    }
  }
  if (b.notRecorded !== undefined) lines.push(`${indent}  path: ${notRecordedText(b.notRecorded)}`);
  for (const c of b.components) {
    lines.push(`${indent}  holds:`);
    lines.push(...bufferLines(c, `${indent}    `));
  }
  return lines;
}

/** Shows at most this many buffers per group; the rest are counted. */
const BUFFERS_SHOWN_PER_GROUP = 3;

/** The report as text: the groups, then the misuses, then the summary line. */
export function formatLeakReport(report: LeakReport): string {
  const out: string[] = [];
  report.groups.forEach((g, i) => {
    const first = g.buffers[0]!;
    out.push(`Leak ${i + 1}: ${entryText(first)} x${g.count} (${g.bytes} bytes) created at ${g.site}`);
    if (first.createdAt.length > 1) out.push(...indentFrames(first.createdAt.slice(1, 6), '    '));
    for (const b of g.buffers.slice(0, BUFFERS_SHOWN_PER_GROUP)) out.push(...bufferLines(b, '  '));
    if (g.buffers.length > BUFFERS_SHOWN_PER_GROUP) out.push(`  ... and ${g.buffers.length - BUFFERS_SHOWN_PER_GROUP} more at this site`);
    out.push(`  Hint: ${entryHint(first)}`);
    out.push('');
  });
  report.misuses.forEach((m, i) => {
    out.push(`Misuse ${i + 1}: ${m.kind}${m.bufferId !== undefined ? ` of buffer #${m.bufferId}` : ''}: ${m.message.split('\n')[0]}`);
    out.push(...indentFrames(m.at.slice(0, 5), '    '));
    const detail = m.message.split('\n').slice(1);
    if (detail.length > 0) out.push(...detail.map((l) => `  ${l.replace(/^\t/, '    ')}`));
    out.push('');
  });
  if (report.leakCount > 0 && !report.stacksCaptured) {
    out.push('Creation sites were not recorded: set BYTEBUF_LEAK_DETECTION_LEVEL=paranoid for sites and paths.');
  }
  out.push(`SUMMARY: ${report.summary}`);
  return out.join('\n');
}

/** The report as JSON text (same content as the text form). */
export function leakReportToJson(report: LeakReport): string {
  return JSON.stringify(report, null, 2);
}

/** Thrown by `LeakScope.check()` when a scope leaked or saw a misuse; carries the report. */
export class LeakError extends HarnessError {
  override readonly name = 'LeakError';
  readonly code = 'ERR_BUFFER_LEAK';
  readonly report: LeakReport;
  constructor(report: LeakReport) {
    super(formatLeakReport(report));
    this.report = report;
    this.startStackAtCaller();
  }
}
