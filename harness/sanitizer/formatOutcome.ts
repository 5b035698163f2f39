/**
 * The sanitizer's failure message, in Deno's shape: one counted, pluralised line per kind
 * of finding ("<what> was <created> during the test, but not <released> during the test"), then the
 * harness's grouped report (sites with `xN`, paths, owned or wrapped memory, per-group hints), the
 * open timers and the resources left open with their creation sites, and one trailer with the usual fixes and the opt-outs.
 */
import * as path from 'node:path';
import type { BufferKind } from '../tracking/LeakTracker';
import { formatLeakReport, type MisuseInfo } from '../tracking/report';
import { formatFrame, formatQuotedFrame, type StackFrameInfo } from '../tracking/stack';
import type { SiteFrame } from './errors';
import type { LeakedOutcome, OpenTimerInfo } from './outcome';
import type { OpenResourceInfo } from '../resources/describe';

const KIND_NAMES: Record<BufferKind, [one: string, many: string]> = {
  heap: ['heap buffer', 'heap buffers'],
  direct: ['direct buffer', 'direct buffers'],
  'heap-wrapper': ['wrapper of a heap ByteBuffer or array', 'wrappers of heap ByteBuffers or arrays'],
  'direct-wrapper': ['wrapper of a direct ByteBuffer', 'wrappers of direct ByteBuffers'],
  composite: ['composite buffer', 'composite buffers'],
  // Not reached: the leak check leaves tracked resources to the resources check.
  resource: ['tracked resource', 'tracked resources'],
};

const MISUSE_TEXT: Record<MisuseInfo['kind'], { names: [string, string]; what: string }> = {
  'over-release': { names: ['over-release', 'over-releases'], what: 'release() on a buffer whose count had already reached 0' },
  'retain-after-free': { names: ['retain after free', 'retains after free'], what: 'retain() on a buffer whose count had reached 0' },
  'use-after-free': { names: ['use after free', 'uses after free'], what: 'a read, write or view of a buffer whose count had reached 0' },
};

const TIMER_FIX: Record<OpenTimerInfo['kind'], string> = {
  setTimeout: 'clearTimeout()',
  setInterval: 'clearInterval()',
  setImmediate: 'clearImmediate()',
};

/** `1 thing` / `2 things`. */
function counted(n: number, [one, many]: readonly [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "during the test", and who failed the check, by when the findings were made. */
function whenText(o: LeakedOutcome): { during: string; subject: string } {
  switch (o.when) {
    case 'test':
      return { during: 'during the test', subject: 'this test' };
    case 'after-test':
      return { during: 'by work the test started, after the test had finished', subject: `test '${o.testName}' (after it finished)` };
    case 'file-hooks':
      return { during: 'in beforeAll/afterAll hooks', subject: "this file's beforeAll/afterAll hooks" };
  }
}

function timerLabel(t: OpenTimerInfo): string {
  const delay = t.delayMs !== undefined ? `, ${t.delayMs} ms` : '';
  return `${t.kind}${delay}${t.refed ? '' : ', unref()ed'}`;
}

/** The overview lines, one per kind of finding. */
function overview(o: LeakedOutcome): string[] {
  const { during } = whenText(o);
  const lines: string[] = [];
  const byKind = new Map<BufferKind, { count: number; bytes: number; owns: boolean }>();
  for (const g of o.report.groups) {
    const kind = g.buffers[0]!.kind;
    const k = byKind.get(kind) ?? { count: 0, bytes: 0, owns: g.buffers[0]!.ownsMemory };
    k.count += g.count;
    k.bytes += g.bytes;
    byKind.set(kind, k);
  }
  for (const [kind, k] of byKind) {
    const were = k.count === 1 ? 'was' : 'were';
    const memory = k.owns ? `${k.bytes} bytes, owned` : `${k.bytes} bytes, wrapping the caller's memory`;
    lines.push(`  - ${counted(k.count, KIND_NAMES[kind])} (${memory}) ${were} created ${during}, but not released.`);
  }
  const misuses = new Map<MisuseInfo['kind'], number>();
  for (const m of o.report.misuses) misuses.set(m.kind, (misuses.get(m.kind) ?? 0) + 1);
  for (const [kind, n] of misuses) lines.push(`  - ${counted(n, MISUSE_TEXT[kind].names)} ${during}: ${MISUSE_TEXT[kind].what}.`);
  const timers = new Map<string, { n: number; fix: string }>();
  for (const t of o.timers) {
    const label = timerLabel(t);
    timers.set(label, { n: (timers.get(label)?.n ?? 0) + 1, fix: TIMER_FIX[t.kind] });
  }
  for (const [label, { n, fix }] of timers) {
    const was = n === 1 ? 'was' : 'were';
    lines.push(`  - ${counted(n, ['timer', 'timers'])} (${label}) ${was} started ${during}, but never fired or cleared: call ${fix} before the test ends, or await what it waits for.`);
  }
  const resources = new Map<string, { n: number; bytes: number; r: OpenResourceInfo }>();
  for (const r of o.resources) {
    const key = `${r.label}\0${r.hint}`;
    const e = resources.get(key) ?? { n: 0, bytes: 0, r };
    e.n++;
    e.bytes += r.bytes;
    resources.set(key, e);
  }
  for (const { n, bytes, r } of resources.values()) {
    const was = n === 1 ? 'was' : 'were';
    if (r.source === 'op') lines.push(`  - ${n} ${r.label} ${was} started ${during}, but not awaited (still in flight when the test ended): ${r.hint}.`);
    else if (r.source === 'tracked') lines.push(`  - ${n} ${r.label} (${bytes} bytes) ${was} created ${during}, but not released: ${r.hint}.`);
    else lines.push(`  - ${n} ${r.label} ${was} opened ${during}, but not closed: ${r.hint}.`);
  }
  return lines;
}

function resourceLines(resources: OpenResourceInfo[]): string[] {
  const out: string[] = [];
  resources.forEach((r, i) => {
    const site = r.createdAt[0] !== undefined ? formatFrame(r.createdAt[0]) : '<unknown site>';
    const state = r.source === 'op' ? 'still pending, started at' : r.source === 'tracked' ? 'not released, created at' : 'still open, created at';
    out.push(`Resource ${i + 1}: ${r.label}, ${state} ${site}`);
    out.push(...r.createdAt.slice(1, 5).map((f) => formatQuotedFrame(f)));
  });
  return out;
}

/** How to allow a resource a test keeps open on purpose (shown when resources were found). */
export const RESOURCE_OPT_OUT_HINT =
  "For a resource kept open on purpose: leakSanitizer.optOut('<reason>', 'resources:<kind>') for its kind, or 'resources' for every kind.";

function timerLines(timers: OpenTimerInfo[]): string[] {
  const out: string[] = [];
  timers.forEach((t, i) => {
    const site = t.createdAt[0] !== undefined ? formatFrame(t.createdAt[0]) : '<unknown site>';
    out.push(`Timer ${i + 1}: ${timerLabel(t)}, still pending, started at ${site}`);
    out.push(...t.createdAt.slice(1, 5).map((f) => formatQuotedFrame(f)));
  });
  return out;
}

/** The usual fixes, then how to allow what is intended. */
export const USUAL_FIXES =
  'Usual fixes: release each buffer in the callback that finishes with it, or in a try/finally around its use; ' +
  'the owner of a wrapper releases it (Unpooled.wrappedBuffer() shares the caller\'s memory, and releasing the wrapper never frees that memory).';

/** How to allow what a test does on purpose. */
export const OPT_OUT_HINT =
  "If this is intended: leakSanitizer.optOut('<reason>') in the test (or in a describe body, or at the top of the file), " +
  "or leakSanitizer.exempt(buffer, '<reason>') for a module-level singleton.";

/** The full failure message of a leaked outcome. */
export function formatOutcome(o: LeakedOutcome): string {
  const out: string[] = [`Leak sanitizer: ${whenText(o).subject} failed the leak check.`, '', ...overview(o), ''];
  if (o.report.leakCount > 0 || o.report.misuses.length > 0) out.push(formatLeakReport(o.report), '');
  if (o.timers.length > 0) out.push(...timerLines(o.timers), '');
  if (o.resources.length > 0) out.push(...resourceLines(o.resources), '');
  // The buffer fixes say nothing about a server left open: each resource line has its own hint.
  const onlyResources = o.report.leakCount === 0 && o.report.misuses.length === 0 && o.timers.length === 0;
  out.push(...(onlyResources ? [] : [USUAL_FIXES]), OPT_OUT_HINT);
  if (o.resources.length > 0) out.push(RESOURCE_OPT_OUT_HINT);
  return out.join('\n');
}

/** The site of the first finding (leak, else misuse, else timer, else resource), with an absolute path for jest's code frame. */
export function firstSite(o: LeakedOutcome): SiteFrame | undefined {
  const frame: StackFrameInfo | undefined =
    o.report.groups[0]?.siteFrame ?? o.report.misuses[0]?.at[0] ?? o.timers[0]?.createdAt[0] ?? o.resources[0]?.createdAt[0];
  if (frame === undefined) return undefined;
  return { fn: frame.fn, file: path.resolve(frame.file), line: frame.line, column: frame.column };
}
