/**
 * The run-level leak summary: which tests leaked, totals, the worst sites, and the opt-outs with
 * their reasons. Built from the sanitizer's records by the leak reporter, written as JSON (one part
 * per `--shard`), and merged by `scripts/merge-jest-leak-reports.ts`: the merge of the shards'
 * parts has the same totals as an unsharded run, because every total is recomputed from the
 * per-test entries.
 * @packageDocumentation
 */
import type { SanitizerCheck } from './options';
import type { FindingTime, Suppressed } from './outcome';
import type { LeakRecord, RecordSite } from './records';
import { LeakSummaryFormatError } from './errors';

export type { FindingTime, Suppressed, LeakRecord, RecordSite };

/** A test (or a file's hooks) that leaked. */
export interface LeakingTest {
  file: string;
  test: string;
  when: FindingTime;
  leaks: number;
  bytes: number;
  misuses: number;
  timers: number;
  /** Resources left open and operations left pending (absent in summaries of older versions: 0). */
  resources?: number;
  sites: RecordSite[];
}

/** Opt-outs with the same file, reason and checks, with the tests they covered. */
export interface OptOutEntry {
  file: string;
  reason: string;
  checks: SanitizerCheck[];
  where: string;
  tests: number;
  /** What the opted-out checks found in those tests. */
  suppressed: Suppressed;
}

/** A creation site, over every test that leaked there. */
export interface LeakSite {
  site: string;
  count: number;
  bytes: number;
  tests: number;
}

/** Identifies the JSON form. */
export const LEAK_SUMMARY_FORMAT = 'bytebuf-leak-harness/jest-leak-summary';

/** The summary of a run (or of a shard, or of merged shards). */
export interface LeakRunSummary {
  format: typeof LEAK_SUMMARY_FORMAT;
  version: 1;
  /** Shards covered, as `index/count`; empty for an unsharded run. */
  shards: string[];
  /** Test files the sanitizer ran in. */
  files: number;
  testsChecked: number;
  /** Distinct tests (file and name) with at least one leaking entry. */
  testsLeaked: number;
  leaks: number;
  bytes: number;
  misuses: number;
  timers: number;
  /** Resources left open and operations left pending, summed over `leakingTests` (absent in older summaries). */
  resources?: number;
  /** Sorted by file, then test. */
  leakingTests: LeakingTest[];
  optOuts: OptOutEntry[];
  /** Every site, worst first (count, then bytes). */
  sites: LeakSite[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the summary from its entries: every total comes from here, so merging is exact. */
function build(shards: string[], files: number, testsChecked: number, leaking: LeakingTest[], optOuts: OptOutEntry[]): LeakRunSummary {
  const leakingTests = [...leaking].sort(
    (a, b) => compareText(a.file, b.file) || compareText(a.test, b.test) || compareText(a.when, b.when),
  );
  const sites = new Map<string, LeakSite & { seen: Set<string> }>();
  for (const t of leakingTests) {
    for (const s of t.sites) {
      const e = sites.get(s.site) ?? { site: s.site, count: 0, bytes: 0, tests: 0, seen: new Set<string>() };
      e.count += s.count;
      e.bytes += s.bytes;
      e.seen.add(`${t.file}\0${t.test}`);
      e.tests = e.seen.size;
      sites.set(s.site, e);
    }
  }
  const grouped = new Map<string, OptOutEntry>();
  for (const o of optOuts) {
    const key = JSON.stringify([o.file, o.reason, o.checks, o.where]);
    const e = grouped.get(key);
    if (e === undefined) {
      grouped.set(key, { ...o, checks: [...o.checks], suppressed: { ...o.suppressed } });
    } else {
      e.tests += o.tests;
      e.suppressed.leaks += o.suppressed.leaks;
      e.suppressed.misuses += o.suppressed.misuses;
      e.suppressed.timers += o.suppressed.timers;
      e.suppressed.resources = (e.suppressed.resources ?? 0) + (o.suppressed.resources ?? 0);
    }
  }
  return {
    format: LEAK_SUMMARY_FORMAT,
    version: 1,
    shards: [...new Set(shards)].sort(),
    files,
    testsChecked,
    testsLeaked: new Set(leakingTests.map((t) => `${t.file}\0${t.test}`)).size,
    leaks: leakingTests.reduce((n, t) => n + t.leaks, 0),
    bytes: leakingTests.reduce((n, t) => n + t.bytes, 0),
    misuses: leakingTests.reduce((n, t) => n + t.misuses, 0),
    timers: leakingTests.reduce((n, t) => n + t.timers, 0),
    resources: leakingTests.reduce((n, t) => n + (t.resources ?? 0), 0),
    leakingTests,
    optOuts: [...grouped.values()].sort(
      (a, b) => compareText(a.file, b.file) || compareText(a.where, b.where) || compareText(a.reason, b.reason),
    ),
    sites: [...sites.values()]
      .map(({ seen: _seen, ...s }) => s)
      .sort((a, b) => b.count - a.count || b.bytes - a.bytes || compareText(a.site, b.site)),
  };
}

/** The summary of the sanitizer's records; `shard` as `index/count` when the run was sharded. */
export function summarizeLeakRecords(records: readonly LeakRecord[], shard?: string): LeakRunSummary {
  const files = new Set<string>();
  let testsChecked = 0;
  const leaking: LeakingTest[] = [];
  const optOuts: OptOutEntry[] = [];
  for (const r of records) {
    if (r.type === 'file') {
      files.add(r.file);
      testsChecked += r.testsChecked;
      continue;
    }
    if (r.leaked) {
      const { file, test, when, leaks, bytes, misuses, timers, sites } = r;
      leaking.push({ file, test, when, leaks, bytes, misuses, timers, resources: r.resources ?? 0, sites: sites.map((s) => ({ ...s })) });
    }
    for (const o of r.optOuts) {
      optOuts.push({ file: r.file, reason: o.reason, checks: [...o.checks], where: o.where, tests: 1, suppressed: { resources: 0, ...r.suppressed } });
    }
  }
  return build(shard !== undefined ? [shard] : [], files.size, testsChecked, leaking, optOuts);
}

/** Merges summaries (e.g. one per shard) into one, with totals recomputed from their entries. */
export function mergeLeakSummaries(parts: readonly LeakRunSummary[]): LeakRunSummary {
  return build(
    parts.flatMap((p) => p.shards),
    parts.reduce((n, p) => n + p.files, 0),
    parts.reduce((n, p) => n + p.testsChecked, 0),
    parts.flatMap((p) => p.leakingTests),
    parts.flatMap((p) => p.optOuts),
  );
}

/**
 * Parses a summary's JSON text; `source` names it in errors. Throws `LeakSummaryFormatError` when
 * the text is not JSON or not a summary of this format and version.
 */
export function parseLeakSummary(text: string, source: string): LeakRunSummary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LeakSummaryFormatError(`Expected ${source} to hold JSON, got a parse error: ${(error as Error).message}`);
  }
  const v = value as Partial<LeakRunSummary> | null;
  if (v === null || typeof v !== 'object' || v.format !== LEAK_SUMMARY_FORMAT || v.version !== 1) {
    const got = v !== null && typeof v === 'object' ? `format ${JSON.stringify(v.format)}, version ${JSON.stringify(v.version)}` : JSON.stringify(v);
    throw new LeakSummaryFormatError(`Expected ${source} to be a leak summary (format "${LEAK_SUMMARY_FORMAT}", version 1), got ${got}`);
  }
  const arrays = ['shards', 'leakingTests', 'optOuts', 'sites'] as const;
  const numbers = ['files', 'testsChecked', 'testsLeaked', 'leaks', 'bytes', 'misuses', 'timers'] as const;
  for (const k of arrays) if (!Array.isArray(v[k])) throw new LeakSummaryFormatError(`Expected ${source}: ${k} to be an array, got ${JSON.stringify(v[k])}`);
  for (const k of numbers) if (typeof v[k] !== 'number') throw new LeakSummaryFormatError(`Expected ${source}: ${k} to be a number, got ${JSON.stringify(v[k])}`);
  // Added with the resources check: optional, so summaries of older versions still merge.
  if (v.resources !== undefined && typeof v.resources !== 'number') {
    throw new LeakSummaryFormatError(`Expected ${source}: resources to be a number when present, got ${JSON.stringify(v.resources)}`);
  }
  return v as LeakRunSummary;
}

const WHEN_LABEL: Record<FindingTime, string> = {
  test: '',
  'after-test': ' (after the test finished)',
  'file-hooks': '',
};

function findings(t: { leaks: number; bytes: number; misuses: number; timers: number; resources?: number }): string {
  const parts = [`${t.leaks} leak(s), ${t.bytes} byte(s)`];
  if (t.misuses > 0) parts.push(`${t.misuses} over-release(s) or use(s) after free`);
  if (t.timers > 0) parts.push(`${t.timers} timer(s) left open`);
  if ((t.resources ?? 0) > 0) parts.push(`${t.resources} resource(s) left open or operation(s) not awaited`);
  return parts.join(', ');
}

/** How much of a summary `formatLeakSummary` lists. */
export interface SummaryFormatOptions {
  /** Sites listed under "Worst sites" (default 5). */
  maxSites?: number;
  /** Tests listed under "Tests that leaked" (default 20). */
  maxTests?: number;
}

/**
 * The summary as text: a headline, the tests that leaked, the worst sites, the opt-outs, and a
 * last line `leak-sanitizer: N test(s) checked, N leaked, N opt-out(s)` for CI logs.
 */
export function formatLeakSummary(s: LeakRunSummary, options: SummaryFormatOptions = {}): string {
  const maxSites = options.maxSites ?? 5;
  const maxTests = options.maxTests ?? 20;
  const out: string[] = [];
  const shard = s.shards.length > 0 ? ` (shard ${s.shards.join(', ')})` : '';
  if (s.testsLeaked === 0) {
    out.push(`Leak sanitizer${shard}: no leaks in ${s.testsChecked} test(s) checked in ${s.files} file(s).`);
  } else {
    out.push(`Leak sanitizer${shard}: ${s.testsLeaked} of ${s.testsChecked} test(s) leaked (${s.files} file(s) checked): ${findings(s)}.`);
    out.push('Tests that leaked:');
    for (const t of s.leakingTests.slice(0, maxTests)) out.push(`  ${t.file} › ${t.test}${WHEN_LABEL[t.when]}: ${findings(t)}`);
    if (s.leakingTests.length > maxTests) out.push(`  ... and ${s.leakingTests.length - maxTests} more`);
    if (s.sites.length > 0) {
      out.push('Worst sites:');
      for (const site of s.sites.slice(0, maxSites)) {
        out.push(`  x${site.count} (${site.bytes} byte(s)) in ${site.tests} test(s): ${site.site}`);
      }
      if (s.sites.length > maxSites) out.push(`  ... and ${s.sites.length - maxSites} more site(s)`);
    }
  }
  const optOutCount = s.optOuts.reduce((n, o) => n + o.tests, 0);
  if (s.optOuts.length > 0) {
    out.push('Opted out:');
    for (const o of s.optOuts) {
      const resources = o.suppressed.resources ?? 0;
      const found = o.suppressed.leaks + o.suppressed.misuses + o.suppressed.timers + resources > 0
        ? `; would have reported ${o.suppressed.leaks} leak(s), ${o.suppressed.misuses} misuse(s), ${o.suppressed.timers} timer(s)${resources > 0 ? `, ${resources} resource(s)` : ''}`
        : '';
      out.push(`  ${o.file} (${o.where}, ${o.tests} test(s)), ${o.checks.join(', ')}: "${o.reason}"${found}`);
    }
  }
  out.push(`leak-sanitizer: ${s.testsChecked} test(s) checked, ${s.testsLeaked} leaked, ${optOutCount} opt-out(s)`);
  return out.join('\n');
}
